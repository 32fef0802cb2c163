// Command etcd is the upstream etcd server. The etcd repository's own main module replaces its sibling modules
// with relative paths, so `go install` refuses it; this module depends on the published server module instead.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
