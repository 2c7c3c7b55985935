// Renders the example's dashboard and a real restore PR body (dim_user, restored with the pinned dbt
// in a scratch git copy, its migration plan included as the Action includes it) to Markdown files,
// for scripts/render-images.sh to draw. Not part of the tests.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { renderPlanForPullRequest } from "../../src/core/plan/renderPlanForPullRequest.js";
import { renderDashboard } from "../../src/core/render/renderDashboard.js";
import { renderRestorePullRequest, restorePrTitle } from "../../src/core/render/renderRestorePullRequest.js";
import { repositoryFileUrl } from "../../src/core/render/repositoryFileUrl.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { planDimension } from "../../src/usecases/planDimension.js";
import { createTestRepo } from "../../test/helpers/gitRepo.js";
import { restoreExample } from "../../test/helpers/restoreExample.js";
import { localTreePorts } from "../../src/adapters/localTreePorts.js";

const out = process.argv[2]!;
// Run from the repository root (the bundle lives elsewhere, so no path from import.meta).
const REPO_ROOT = process.cwd();
const EXAMPLE_DIR = join(REPO_ROOT, "examples", "warehouse-migration");
const repo = await createTestRepo(EXAMPLE_DIR);
const head = (await repo.git("rev-parse", "HEAD")).trim();
const files = createDiskFileSource(repo.dir);
const config = await loadConfig(files);
const { reports } = await computeStatus({ files, config });
const url = "https://github.com/acme/warehouse";
await writeFile(join(out, "dashboard.md"), renderDashboard(reports, { commit: head, restorePrs: new Map([["dim_product", 21]]), fileUrl: repositoryFileUrl(url, head) }));

const dbt = await findDbt({ repoRoot: REPO_ROOT, toolRoot: REPO_ROOT });
const outcome = await restoreExample(repo, dbt);
const plan = await planDimension({ ...localTreePorts, root: repo.dir, config, dimension: "dim_user", basis: "restored", dbt: { dbt, timeoutMs: 300_000 }, secrets: [], progress: () => {} });
await writeFile(join(out, "restore-pr.md"), renderRestorePullRequest(outcome, { workflowToken: true, extraSections: [renderPlanForPullRequest(plan, { room: 40_000 })] }));
await writeFile(join(out, "restore-pr.title"), restorePrTitle(outcome));
await repo.cleanup();
