import { existsSync } from "node:fs";
import { join } from "node:path";
import { saveScreenshot } from "@flotilla/browser";
import { describeWithBrowser } from "@flotilla/browser/vitest";
import { DASHBOARD_BUILD_COMMAND, DASHBOARD_DIST_DIR } from "@flotilla/dashboard";
import { type KubeObject, ResourceManager } from "@flotilla/kube";
import { describeWithClusters } from "@flotilla/testbed/vitest";
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { dashboardFleet, guestbookYaml } from "./fleet.ts";

const MATRIX_READY = '[data-testid="fleet-matrix"][data-ready="true"]';
const LONG = 90_000;

/**
 * The dashboard in headless Chromium against a real fleet: the API serving the built dashboard, the generator on a
 * Git fleet repository, an agent on each of two test-bed clusters. One fleet and one signed-in page for the file;
 * the tests run in order, each leaving the page where the next starts.
 */
describeWithClusters("the dashboard in a real browser (real API, generator, agents, clusters, Redis)", (clusters) => {
  describeWithBrowser("dashboard end to end", (session) => {
    const fleet = dashboardFleet(clusters);
    const [dev, prod] = clusters;
    let page: Page;
    const base = () => fleet.api.url;
    const cell = (appSet: string, cluster: string) =>
      page.locator(`[role="gridcell"][data-cell="${appSet}/${cluster}"]`);
    const codeOf = (appSet: string, cluster: string) => cell(appSet, cluster).getAttribute("data-code");
    /** Waits, polling in the page, until the cell's code matches `pattern` (the page's CSP forbids eval). */
    const untilCode = (appSet: string, cluster: string, pattern: RegExp, what: string) =>
      page
        .waitForFunction(
          ({ key, source }) => {
            const el = document.querySelector(`[role="gridcell"][data-cell="${key}"]`);
            return new RegExp(source).test(el?.getAttribute("data-code") ?? "");
          },
          { key: `${appSet}/${cluster}`, source: pattern.source },
          { timeout: LONG, polling: 200 },
        )
        .catch((err: Error) => {
          throw new Error(`${what}: ${err.message}`);
        });
    const focusedCell = () =>
      page
        .waitForFunction(() => document.activeElement?.getAttribute("data-cell") ?? "", undefined, { timeout: 10_000 })
        .then((h) => h.jsonValue());
    const untilFocused = (key: string) =>
      page.waitForFunction((k) => document.activeElement?.getAttribute("data-cell") === k, key, { timeout: 10_000 });

    beforeAll(() => {
      if (!existsSync(join(DASHBOARD_DIST_DIR, "index.html"))) {
        throw new Error(`the dashboard is not built (${DASHBOARD_DIST_DIR}); run ${DASHBOARD_BUILD_COMMAND}`);
      }
    });

    it("asks for a token, refuses a wrong one, and signs in with an admin token", async () => {
      page = await session.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${base()}/`);
      const token = page.getByLabel("API token");
      await token.waitFor();
      await saveScreenshot(page, "dashboard-login");
      await token.fill("not-a-real-token-000000");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: "refused" }).waitFor();
      await page.getByLabel("API token").fill(fleet.api.tokens.admin);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator('[data-testid="stream-status"]', { hasText: "live" }).waitFor({ timeout: LONG });
      expect(await page.evaluate(() => sessionStorage.getItem("flotilla.token"))).toBe(fleet.api.tokens.admin);
    });

    it("the matrix shows every Application: a cell per ApplicationSet and cluster, counts, the legend", async () => {
      await page.locator(MATRIX_READY).waitFor({ timeout: LONG });
      for (const c of [dev!, prod!]) {
        expect(await codeOf("guestbook", c.name)).toBe("SH");
        expect(await cell("guestbook", c.name).locator("sup").textContent()).toBe("2");
        expect(await codeOf("reports", c.name)).toBe("SH");
      }
      expect(await page.locator('[role="gridcell"]').count()).toBe(4);
      expect(await page.getByTestId("matrix-totals").textContent()).toContain("6 Applications");
      expect(await page.getByRole("rowheader").filter({ hasText: "guestbook" }).textContent()).toContain("4");
      expect(await page.getByLabel("Legend").textContent()).toContain("synced and healthy");
      // Hover shows the cell's Applications.
      await cell("guestbook", dev!.name).hover();
      const details = page.getByTestId("cell-details");
      await details.getByText(`front-${dev!.name}`).waitFor();
      await details.getByText(`back-${dev!.name}`).waitFor();
      await saveScreenshot(page, "dashboard-matrix");
    });

    it("filters by a cluster label; the filter is in the URL and survives a reload", async () => {
      await page.getByLabel("Cluster labels").fill("env=prod");
      await page.getByLabel("Cluster labels").press("Enter");
      await page.waitForURL(/selector=env%3Dprod/);
      await page.locator(MATRIX_READY).waitFor();
      await cell("guestbook", prod!.name).waitFor();
      expect(await page.locator(`[data-cell$="/${dev!.name}"]`).count()).toBe(0);
      await page.reload();
      await page.locator(MATRIX_READY).waitFor({ timeout: LONG });
      expect(await page.getByLabel("Cluster labels").inputValue()).toBe("env=prod");
      expect(await page.locator('[role="gridcell"]').count()).toBe(2);
      await saveScreenshot(page, "dashboard-matrix-filtered");
      await page.getByLabel("Cluster labels").fill("");
      await page.getByLabel("Cluster labels").press("Enter");
      await page.waitForURL((url) => url.search === "");
      await page.locator(MATRIX_READY).waitFor();
      expect(await page.locator('[role="gridcell"]').count()).toBe(4);
    });

    it("arrow keys move across cells and Enter opens an Application with its resources", async () => {
      await cell("guestbook", dev!.name).focus();
      // guestbook is the first row, reports the second: down moves to reports on the same cluster.
      await untilFocused(`guestbook/${dev!.name}`);
      await page.keyboard.press("ArrowRight");
      await untilFocused(`guestbook/${prod!.name}`);
      await page.keyboard.press("ArrowDown");
      await untilFocused(`reports/${prod!.name}`);
      await page.keyboard.press("Home");
      await untilFocused(`reports/${dev!.name}`);
      expect(await focusedCell()).toBe(`reports/${dev!.name}`);
      await page.keyboard.press("Enter");
      await page.waitForURL(new RegExp(`/applications/${dev!.name}/reports-${dev!.name}`));
      const resources = page.getByTestId("resources");
      await resources.getByText("ConfigMap").waitFor();
      expect(await resources.textContent()).toContain("reports");
      expect(await page.getByTestId("app-actions").getByRole("button", { name: "Sync" }).count()).toBe(1);
      expect(await page.getByTestId("history").locator("tbody tr").count()).toBeGreaterThan(0);
      await saveScreenshot(page, "dashboard-application", { fullPage: true });
      await page.goBack();
      await page.locator(MATRIX_READY).waitFor();
    });

    it("a manual edit on a cluster turns its cell OutOfSync live, and undoing it turns it back", async () => {
      await page.evaluate(() => {
        (window as unknown as { marker: string }).marker = "no reload";
      });
      const human = ResourceManager.fromKubeconfig(dev!.kubeconfig, { apply: { fieldManager: "kubectl-edit" } });
      const commit = fleet.source.git("rev-parse", "HEAD").trim();
      const object: KubeObject = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "front", namespace: `${fleet.namespace}-front` },
        data: { value: "edited by hand" },
      };
      const owner = {
        application: `front-${dev!.name}`,
        appSet: "guestbook",
        commit,
        namespace: `${fleet.namespace}-front`,
      };
      await human.apply([object], owner);
      await untilCode("guestbook", dev!.name, /^O/, "the cell turned OutOfSync");
      await page.getByTestId("matrix-totals").filter({ hasText: "OutOfSync 1" }).waitFor({ timeout: LONG });
      await saveScreenshot(page, "dashboard-matrix-drift");
      // Within the page (history navigation, no reload): the Application shows desired vs live.
      await cell("guestbook", dev!.name).hover();
      await page
        .getByTestId("cell-details")
        .getByRole("link", { name: `front-${dev!.name}` })
        .click();
      const diff = page.getByTestId("diff");
      await diff.getByText("data.value").waitFor({ timeout: LONG });
      expect(await diff.textContent()).toContain("edited by hand");
      await saveScreenshot(page, "dashboard-application-diff", { fullPage: true });
      await page.goBack();
      await page.locator(MATRIX_READY).waitFor();
      // Without selfHeal the drift stays until someone acts: here the person puts the value back by hand.
      await human.apply([{ ...object, data: { value: "git" } }], owner);
      await untilCode("guestbook", dev!.name, /^SH$/, "the cell turned back to Synced, Healthy");
      expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("no reload");
    });

    it("releases a held deletion from the ApplicationSet page, after a confirmation", async () => {
      await fleet.push({
        "appsets/guestbook.yaml": guestbookYaml({ source: fleet.source.dir, namespace: fleet.namespace }),
      });
      await page.goto(`${base()}/appsets/reports`);
      const held = page.getByTestId("held-deletions");
      await held.getByText(`reports-${dev!.name}`).waitFor({ timeout: LONG });
      await held.getByRole("button", { name: "Release" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.waitFor();
      await saveScreenshot(page, "dashboard-appset-release");
      await dialog.getByRole("button", { name: "Delete them" }).click();
      await held.getByRole("status").waitFor();
      expect(await held.getByRole("status").textContent()).toContain("2 Application(s)");
      await fleet.push({
        "appsets/guestbook.yaml": guestbookYaml({ source: fleet.source.dir, namespace: fleet.namespace }),
      });
      await fleet.statuses((all) => all.every((s) => s.appSet !== "reports"), "the released Applications deleted");
    });

    it("the preview shows the Applications of a pasted ApplicationSet, and its diff", async () => {
      await page.goto(`${base()}/appsets/guestbook`);
      const preview = page.getByTestId("preview");
      const pasted = `apiVersion: flotilla.dev/v1alpha1
kind: ApplicationSet
metadata: { name: pasted }
spec:
  generators:
    - clusters: { selector: { matchLabels: { env: dev } } }
  template:
    metadata: { name: "pasted-{{name}}" }
    spec:
      source: { repoURL: "${fleet.source.dir}", path: apps/front }
      destination: { cluster: "{{name}}", namespace: pasted }
`;
      await preview.getByLabel("ApplicationSet to preview").fill(pasted);
      await preview.getByRole("button", { name: "Preview" }).click();
      const apps = preview.getByTestId("preview-applications");
      await apps.getByText(`pasted-${dev!.name}`).waitFor({ timeout: LONG });
      expect(await apps.locator("tbody tr").count()).toBe(1);
      expect(await preview.getByTestId("diff-result").textContent()).toContain("create");
      await saveScreenshot(page, "dashboard-appset-preview", { fullPage: true });
    });

    it("the cluster page shows labels, mode, reachability and its Applications", async () => {
      await page.goto(`${base()}/clusters/${dev!.name}`);
      const apps = page.getByTestId("cluster-applications");
      await apps.getByText(`front-${dev!.name}`).waitFor({ timeout: LONG });
      const text = await page.getByTestId("cluster-page").textContent();
      expect(text).toContain("env=dev");
      expect(text).toContain("agent");
      await saveScreenshot(page, "dashboard-cluster");
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const light = await background();
      await page.getByRole("button", { name: "Toggle dark theme" }).click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
      // The page really turns dark, whichever theme it started in: the palette follows the toggle.
      expect(await background()).toBe("rgb(13, 17, 23)");
      expect(light).toBe("rgb(255, 255, 255)");
      await saveScreenshot(page, "dashboard-cluster-dark");
    });

    it("a read token sees no action buttons", async () => {
      const reader = await session.newPage();
      await reader.goto(`${base()}/applications/${dev!.name}/front-${dev!.name}`);
      await reader.getByLabel("API token").fill(fleet.api.tokens.read);
      await reader.getByRole("button", { name: "Sign in" }).click();
      await reader.getByTestId("resources").getByText("ConfigMap").waitFor({ timeout: LONG });
      expect(await reader.getByRole("button", { name: "Sync" }).count()).toBe(0);
      expect(await reader.getByRole("button", { name: "Refresh" }).count()).toBe(0);
    });
  });
});
