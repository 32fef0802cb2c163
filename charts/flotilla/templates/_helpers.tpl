{{/* Names: every object is `<fullname>-<component>`, within the 63 characters a label value allows. */}}
{{- define "flotilla.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "flotilla.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "flotilla.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "flotilla.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: flotilla
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: call with (dict "root" $ "component" "generator"). */}}
{{- define "flotilla.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flotilla.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "flotilla.componentLabels" -}}
{{ include "flotilla.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "flotilla.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Which Redis: the bundled one unless redis.external names one. */}}
{{- define "flotilla.redisExternal" -}}
{{- if or .Values.redis.external.url .Values.redis.external.existingSecret -}}true{{- end -}}
{{- end -}}

{{- define "flotilla.redisBundled" -}}
{{- if and (eq .Values.mode "controlPlane") (not (include "flotilla.redisExternal" .)) -}}true{{- end -}}
{{- end -}}

{{/* The Secret and key holding the whole Redis URL (its password included), for every mode. */}}
{{- define "flotilla.redisUrlSecret" -}}
{{- if .Values.redis.external.existingSecret -}}
{{- .Values.redis.external.existingSecret -}}
{{- else if .Values.redis.external.url -}}
{{- printf "%s-redis-url" (include "flotilla.fullname" .) -}}
{{- else -}}
{{- printf "%s-redis" (include "flotilla.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "flotilla.redisUrlKey" -}}
{{- if .Values.redis.external.existingSecret -}}{{ .Values.redis.external.existingSecretKey }}{{- else -}}redis-url{{- end -}}
{{- end -}}

{{/* Environment every Flotilla service shares: Redis, logs, scratch space. */}}
{{- define "flotilla.commonEnv" -}}
- name: FLOTILLA_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "flotilla.redisUrlSecret" . }}
      key: {{ include "flotilla.redisUrlKey" . }}
- name: FLOTILLA_REDIS_PREFIX
  value: {{ .Values.redis.prefix | quote }}
- name: FLOTILLA_REDIS_SKIP_POLICY_CHECK
  value: {{ .Values.redis.skipPolicyCheck | quote }}
- name: FLOTILLA_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: HOME
  value: /tmp
{{- end -}}

{{/* Git access for the services that read repositories (generator, pool workers, API). */}}
{{- define "flotilla.gitEnv" -}}
- name: FLOTILLA_REPO_CACHE
  value: /tmp/repos
- name: FLOTILLA_ALLOW_LOCAL_REPOS
  value: {{ .Values.git.allowLocalRepos | quote }}
{{- if .Values.git.rules }}
- name: FLOTILLA_GIT_CREDENTIALS
  value: /etc/flotilla/git/credentials.yaml
{{- end }}
{{- end -}}

{{- define "flotilla.gitVolumeMounts" -}}
{{- if .Values.git.rules }}
- name: git-credentials
  mountPath: /etc/flotilla/git
  readOnly: true
{{- end }}
{{- if .Values.git.existingSecret }}
- name: git-secrets
  mountPath: /var/run/secrets/flotilla/git
  readOnly: true
{{- end }}
{{- end -}}

{{- define "flotilla.gitVolumes" -}}
{{- if .Values.git.rules }}
- name: git-credentials
  configMap:
    name: {{ include "flotilla.fullname" . }}-git-credentials
{{- end }}
{{- if .Values.git.existingSecret }}
- name: git-secrets
  secret:
    secretName: {{ .Values.git.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{- define "flotilla.encryptionKeySecret" -}}
{{- default (printf "%s-encryption-key" (include "flotilla.fullname" .)) .Values.encryptionKey.existingSecret -}}
{{- end -}}

{{- define "flotilla.encryptionKeyVolume" -}}
- name: encryption-key
  secret:
    secretName: {{ include "flotilla.encryptionKeySecret" . }}
    defaultMode: 0440
    items:
      - key: {{ .Values.encryptionKey.existingSecretKey }}
        path: key
{{- end -}}

{{/* The restricted Pod Security level: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp. */}}
{{- define "flotilla.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "flotilla.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "flotilla.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpDir.sizeLimit }}
{{- end -}}

{{/* Liveness on /healthz (the process is alive), readiness on /readyz (Redis reachable and the service working). */}}
{{- define "flotilla.probes" -}}
startupProbe:
  httpGet: { path: /healthz, port: {{ . }} }
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: { path: /healthz, port: {{ . }} }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: { path: /readyz, port: {{ . }} }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{/* Scheduling settings of one component's values. */}}
{{- define "flotilla.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* A generated secret value that survives upgrades: the live Secret's, when there is one. */}}
{{- define "flotilla.keptSecretValue" -}}
{{- $existing := lookup "v1" "Secret" .namespace .name -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- .generate -}}
{{- end -}}
{{- end -}}

{{/*
terminationGracePeriodSeconds for a worker: its drain timeout (a Flotilla duration such as 25s or 1m30s) plus
15 s for releasing leases and closing Redis, so the kubelet never kills a worker that is still draining.
*/}}
{{- define "flotilla.graceSeconds" -}}
{{- $ms := 0 -}}
{{- range regexFindAll "[0-9]+(ms|h|m|s)" . -1 -}}
{{- if hasSuffix "ms" . -}}{{- $ms = add $ms (trimSuffix "ms" . | int) -}}
{{- else if hasSuffix "h" . -}}{{- $ms = add $ms (mul (trimSuffix "h" . | int) 3600000) -}}
{{- else if hasSuffix "m" . -}}{{- $ms = add $ms (mul (trimSuffix "m" . | int) 60000) -}}
{{- else -}}{{- $ms = add $ms (mul (trimSuffix "s" . | int) 1000) -}}
{{- end -}}
{{- end -}}
{{- add (div (add $ms 999) 1000) 15 -}}
{{- end -}}

{{/* FLOTILLA_LABELS: `k=v,k2=v2`, keys sorted so that the rendered Pod changes only when the labels do. */}}
{{- define "flotilla.labelList" -}}
{{- $pairs := list -}}
{{- range $k, $v := . -}}{{- $pairs = append $pairs (printf "%s=%s" $k $v) -}}{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
