import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { DbtEvent } from "../../src/core/dbt/dbtEvent.js";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { dbtEnvironment } from "../../src/adapters/dbt/dbtEnvironment.js";
import { consoleScriptPython, FORK_SERVER_ATTACH_ENV_VAR, FORK_SERVER_SCRIPT, forkedCall, forkServerPids, interpreterEnvironment, shareForkServer, stopForkServers } from "../../src/adapters/dbt/forkServer.js";
import { type DbtRunOptions, type DbtRunResult, spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { readManifestArtifact } from "../../src/adapters/dbt/dbtArtifacts.js";
import { copyCorpus, type CorpusCopy, PARSEABLE_CORPUS_PROJECTS } from "../helpers/corpus.js";
import { duckdbExecute } from "../helpers/duckdb.js";
import { buildWorkerBundle } from "../helpers/workerBundle.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

// The dbt fork server (src/adapters/dbt/forkServer.ts, dbtForkServer.py): a dbt call through it must
// be indistinguishable from a fresh `dbt` process, and a timeout, an interrupt or the server's death
// must leave no dbt running. Real dbt from .venv, on copies of the bundled example and the corpus.

// This file tests the servers a process starts for itself; the servers the suite's global setup
// shares (forkServerSetup.ts) are named to this process only where a test says so.
const suiteShared = process.env[FORK_SERVER_ATTACH_ENV_VAR];
delete process.env[FORK_SERVER_ATTACH_ENV_VAR];

let dbt: DbtInstallation;
let work: string;
let example: Awaited<ReturnType<typeof scratchExample>>;

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  work = await mkdtemp(join(tmpdir(), "dbt-unskip-fork-test-"));
  example = await scratchExample();
});
afterAll(async () => {
  stopForkServers();
  if (suiteShared !== undefined) process.env[FORK_SERVER_ATTACH_ENV_VAR] = suiteShared;
  await example?.cleanup();
  await rm(work, { recursive: true, force: true });
});

/** What must agree between two runs of the same command: names, levels, texts and fields, without times, ids and the run's own paths. */
function comparableEvents(result: DbtRunResult, own: Record<string, string>): string[] {
  const scrub = (text: string) => {
    let out = text;
    for (const [path, name] of Object.entries(own)) out = out.split(path).join(name);
    return out.replace(/\d+(\.\d+)?\s?s(econds)?\b/g, "N s").replace(/\d{2}:\d{2}:\d{2}(\.\d+)?/g, "T");
  };
  const clean = (value: unknown): unknown => {
    if (typeof value === "string") return scrub(value);
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !/^(ts|invocation_id|pid|thread|thread_name|execution_time|elapsed|elapsed_time|timing|timing_info|.*_at)$/.test(key))
          .map(([key, inner]) => [key, clean(inner)]),
      );
    }
    return value;
  };
  return result.events.map((event: DbtEvent) => JSON.stringify(clean(event))).sort();
}

/** A manifest without what differs from one run to the next (generation and start times, invocation id, parse times). */
async function comparableManifest(targetPath: string, own: Record<string, string>): Promise<unknown> {
  const manifest = await readManifestArtifact(targetPath);
  expect(manifest).not.toBeNull();
  let text = JSON.stringify(manifest, (key, value) => (/^(generated_at|invocation_id|invocation_started_at|run_started_at|created_at)$/.test(key) ? undefined : value));
  for (const [path, name] of Object.entries(own)) text = text.split(path).join(name);
  return JSON.parse(text);
}

/**
 * The same dbt command through the fork server and the plain way, in the same folder, each with its
 * own target folder and DuckDB file (the same file name: DuckDB names the database after it).
 */
async function bothWays(options: Omit<DbtRunOptions, "command" | "timeoutMs">, tag: string) {
  const runs = [];
  for (const forkServer of [true, false]) {
    const runDir = join(work, `${tag}-${forkServer ? "forked" : "plain"}`);
    await mkdir(runDir, { recursive: true });
    const targetPath = join(runDir, "target");
    const result = await spawnDbt({
      ...options,
      command: dbt.command,
      args: [...options.args, "--target-path", targetPath],
      timeoutMs: 300_000,
      forkServer,
      setEnv: { ...options.setEnv, DBT_UNSKIP_DUCKDB_PATH: join(runDir, "warehouse.duckdb") },
    });
    runs.push({ result, own: { [runDir]: "<run>" }, targetPath });
  }
  const [forked, plain] = runs as [(typeof runs)[0], (typeof runs)[0]];
  return { forked, plain };
}

describe("a server another process shares (UNSKIP_DBT_FORK_SERVER_ATTACH, as the suite's global setup does)", () => {
  /** `dbt debug --config-dir` (cheap: no project to parse) in the example with this process's attach variable set to `entries`. */
  async function attached(entries: unknown[], setEnv: Record<string, string> = {}) {
    process.env[FORK_SERVER_ATTACH_ENV_VAR] = JSON.stringify(entries);
    try {
      return await spawnDbt({ command: dbt.command, args: ["debug", "--config-dir"], projectDir: example.dbtDir, profilesDir: example.dbtDir, timeoutMs: 300_000, setEnv });
    } finally {
      delete process.env[FORK_SERVER_ATTACH_ENV_VAR];
    }
  }
  const ownEnvironment = () => interpreterEnvironment(dbtEnvironment(process.env));

  it("a call with the entry's dbt and interpreter settings goes to its socket through the client, with its arguments, folder and environment; this process starts no server", async () => {
    stopForkServers();
    // A stand-in that reads the request and answers "fallback" (nothing ran): the call then runs dbt the plain way.
    const socket = join(work, "stand-in.sock");
    const requests: { argv: string[]; cwd: string; env: Record<string, string> }[] = [];
    const standIn = createServer((conn) => {
      let data = Buffer.alloc(0);
      conn.on("data", (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        if (data.length >= 8 && data.length >= 8 + Number(data.readBigUInt64BE(0))) {
          requests.push(JSON.parse(data.subarray(8).toString("utf8")));
          conn.end("fallback the stand-in runs nothing\n");
        }
      });
    });
    await new Promise<void>((resolve) => standIn.listen(socket, resolve));
    try {
      const result = await attached(
        [
          { command: join(work, "another-dbt"), env: ownEnvironment(), socket: "/nowhere" },
          { command: dbt.command, env: ownEnvironment(), socket },
        ],
        { DBT_FORK_MARK: "m" },
      );
      expect(result.exitCode, result.otherOutput).toBe(0);
      expect(requests).toHaveLength(1);
      expect(requests[0]!.argv.slice(0, 2)).toEqual(["debug", "--config-dir"]);
      expect(requests[0]!.cwd).toBe(example.dbtDir);
      expect(requests[0]!.env.DBT_FORK_MARK).toBe("m");
      expect(forkServerPids()).toEqual([]);
    } finally {
      await new Promise((resolve) => standIn.close(resolve));
      stopForkServers();
    }
  });

  it("a real shared server runs calls, two at once (it reaps their dbt); once it is gone, calls run dbt the plain way and this process starts no server", async () => {
    stopForkServers();
    const shared = await shareForkServer(dbt.command, dbtEnvironment(process.env));
    expect(shared).not.toBeNull();
    const childCpuTicks = () => {
      const fields = readFileSync(`/proc/${shared!.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return Number(fields[13]) + Number(fields[14]); // cutime + cstime: CPU of the children it reaped
    };
    try {
      expect(childCpuTicks()).toBe(0);
      // Two clients at once (as two test files and a bundle share it): each gets its own dbt and its own answer.
      process.env[FORK_SERVER_ATTACH_ENV_VAR] = JSON.stringify([shared!.entry]);
      const sharedTarget = join(work, "shared-target");
      let served: DbtRunResult[];
      try {
        served = await Promise.all([
          spawnDbt({ command: dbt.command, args: ["debug", "--config-dir"], projectDir: example.dbtDir, profilesDir: example.dbtDir, timeoutMs: 300_000 }),
          spawnDbt({
            command: dbt.command,
            args: ["parse", "--target-path", sharedTarget],
            projectDir: example.dbtDir,
            profilesDir: example.dbtDir,
            timeoutMs: 300_000,
            setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(work, "shared.duckdb") },
          }),
        ]);
      } finally {
        delete process.env[FORK_SERVER_ATTACH_ENV_VAR];
      }
      const [debug, parse] = served as [DbtRunResult, DbtRunResult];
      expect(debug.exitCode, debug.otherOutput).toBe(0);
      expect(debug.events.map((e) => e.msg).join("\n")).toContain(example.dbtDir);
      expect(parse.exitCode, parse.otherOutput).toBe(0);
      expect(await readManifestArtifact(sharedTarget)).not.toBeNull();
      expect(childCpuTicks()).toBeGreaterThan(0);
      expect(forkServerPids()).toEqual([]);
      await shared!.stop();
      for (let i = 0; i < 2; i++) {
        const plain = await attached([shared!.entry]);
        expect(plain.exitCode, plain.otherOutput).toBe(0);
        expect(plain.events.map((e) => e.msg).join("\n")).toContain(example.dbtDir);
      }
      expect(forkServerPids()).toEqual([]);
    } finally {
      await shared?.stop();
      stopForkServers();
    }
  });

  it("a call whose interpreter settings match no entry starts a server of its own", async () => {
    stopForkServers();
    const elsewhere = { ...ownEnvironment(), HOME: join(work, "elsewhere") };
    const result = await attached([{ command: dbt.command, env: elsewhere, socket: "/nowhere" }]);
    expect(result.exitCode, result.otherOutput).toBe(0);
    expect(forkServerPids()).toHaveLength(1);
  });
});

describe("the same answer as a fresh dbt process", () => {
  it("parse, compile and run of the bundled example: the same exit codes, events and manifest", async () => {
    for (const args of [
      ["parse", "--no-partial-parse"],
      ["compile", "--no-partial-parse"],
      ["run", "--no-partial-parse", "--select", "stg_transactions"],
    ]) {
      const { forked, plain } = await bothWays({ args, projectDir: example.dbtDir, profilesDir: example.dbtDir }, args[0] as string);
      expect(forked.result.exitCode, forked.result.otherOutput).toBe(0);
      expect(forked.result.exitCode).toBe(plain.result.exitCode);
      expect(forked.result.killedBy).toBe(plain.result.killedBy);
      expect(comparableEvents(forked.result, forked.own)).toEqual(comparableEvents(plain.result, plain.own));
      expect(await comparableManifest(forked.targetPath, forked.own)).toEqual(await comparableManifest(plain.targetPath, plain.own));
    }
    expect(forkServerPids().length).toBeGreaterThan(0);
  });

  it("what the server builds before it forks (JSON schemas, compiled serializers) is exactly what dbt builds for the example's parse, compile and run; a child builds none of it again", async () => {
    // Each mode in a fresh interpreter with the server's imports: "cold" records every JSON schema
    // dbt builds and every serializer it compiles (mashumaro's lazy from_dict/to_dict/…: a stub that
    // names CodeBuilder until its first call replaces it) over the commands dbt-unskip runs; "warm"
    // first does what the server does (warm) and records what dbt still builds. Classes dbt makes
    // per call (defined in a function) are made again by every call: left out.
    // A parse and a run (reading the parse's partial-parse file) are enough: compile, with and without
    // partial parsing, compiles no other (measured with dbt-core 1.11.16 when the list was made).
    const python = await consoleScriptPython(dbt.command);
    expect(python).not.toBeNull();
    const script = [
      "import importlib.util, json, sys",
      "sys.dont_write_bytecode = True  # no __pycache__ beside src/adapters/dbt/dbtForkServer.py",
      "spec = importlib.util.spec_from_file_location('fork_server', sys.argv[1])",
      "server = importlib.util.module_from_spec(spec)",
      "spec.loader.exec_module(server)",
      "import dbt.cli.main, dbt.adapters.duckdb",
      "import dbt_common.dataclass_schema as schemas",
      "from mashumaro.mixins.dict import DataClassDictMixin",
      "name = lambda cls: '%s:%s' % (cls.__module__, cls.__qualname__)",
      "PUBLIC = ('from_dict', 'to_dict', 'from_msgpack', 'to_msgpack')",
      "def lazy():",
      "    found, seen, pending = set(), set(), [DataClassDictMixin]",
      "    while pending:",
      "        cls = pending.pop()",
      "        if cls in seen: continue",
      "        seen.add(cls); pending.extend(cls.__subclasses__())",
      "        for method in PUBLIC:",
      "            code = getattr(getattr(cls.__dict__.get(method), '__func__', cls.__dict__.get(method)), '__code__', None)",
      "            if code is not None and 'CodeBuilder' in code.co_names: found.add((cls, method))",
      "    return found",
      "warmed = sorted(name(cls) for cls in server._schema_classes())",
      "serializers = sorted('%s %s' % (name(cls), method) for cls, method in server._serializer_methods())",
      "if sys.argv[2] == 'warm': server.warm()",
      "before = lazy()",
      "built, original = [], schemas.build_json_schema",
      "schemas.build_json_schema = lambda cls, *a, **k: (built.append(name(cls)), original(cls, *a, **k))[1]",
      "common = ['--project-dir', sys.argv[3], '--profiles-dir', sys.argv[3], '--target-path', sys.argv[4], '--quiet']",
      "codes = []",
      "for command in (['parse', '--no-partial-parse'], ['run', '--select', 'stg_products']):",
      "    codes.append(dbt.cli.main.dbtRunner().invoke(command + common).success)",
      "compiled = sorted('%s %s' % (name(cls), method) for cls, method in before - lazy() if '<locals>' not in cls.__qualname__)",
      "print(json.dumps({'codes': codes, 'warmed': warmed, 'built': sorted(set(built)), 'serializers': serializers, 'compiled': compiled}))",
    ].join("\n");
    const server = join(REPO_ROOT, "src", "adapters", "dbt", "dbtForkServer.py");
    type Answer = { codes: boolean[]; warmed: string[]; built: string[]; serializers: string[]; compiled: string[] };
    const answers: Record<string, Answer> = {};
    for (const mode of ["cold", "warm"]) {
      const target = join(work, `schemas-${mode}`);
      const env = { ...dbtEnvironment(process.env), DBT_UNSKIP_DUCKDB_PATH: join(work, `schemas-${mode}.duckdb`) };
      const run = spawnSync(python as string, ["-c", script, server, mode, example.dbtDir, target], { cwd: example.dbtDir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      expect(run.status, run.stderr).toBe(0);
      answers[mode] = JSON.parse(run.stdout.trim().split("\n").pop() as string);
    }
    const { cold, warm } = answers as Record<"cold" | "warm", Answer>;
    expect(cold.codes).toEqual([true, true]);
    expect(warm.codes).toEqual([true, true]);
    expect(cold.warmed).toContain("dbt.contracts.graph.nodes:ModelNode");
    expect(cold.serializers).toContain("dbt.contracts.graph.nodes:ModelNode from_dict");
    // No fewer (a child would build it again) and no more (the server would build what no call needs).
    expect(cold.built).toEqual(cold.warmed);
    // mashumaro's own JSONSchema serializer is compiled by building the schemas (warm_schemas).
    expect(cold.compiled.filter((entry) => !entry.startsWith("mashumaro."))).toEqual(cold.serializers);
    expect(warm.built).toEqual([]);
    expect(warm.compiled).toEqual([]);
  });

  it("a parse error: the same exit code and the same error", async () => {
    const broken = join(example.dbtDir, "transform", "gold", "fork_broken.sql");
    await writeFile(broken, "select * from {{ ref('no_such_model') }}\n");
    try {
      const { forked, plain } = await bothWays({ args: ["parse", "--no-partial-parse"], projectDir: example.dbtDir, profilesDir: example.dbtDir }, "broken");
      expect(forked.result.exitCode).not.toBe(0);
      expect(forked.result.exitCode).toBe(plain.result.exitCode);
      const errors = (r: DbtRunResult) => r.events.filter((e) => e.level === "error").map((e) => e.msg);
      expect(errors(forked.result).join("\n")).toContain("no_such_model");
      expect(errors(forked.result)).toEqual(errors(plain.result));
      expect(comparableEvents(forked.result, forked.own)).toEqual(comparableEvents(plain.result, plain.own));
    } finally {
      await rm(broken);
    }
  });

  describe("a corpus project", () => {
    let corpus: CorpusCopy;
    beforeAll(async () => {
      corpus = await copyCorpus();
    });
    afterAll(() => corpus?.cleanup());

    it("elementary parses to the same manifest and events", async () => {
      const project = PARSEABLE_CORPUS_PROJECTS.find((p) => p.name === "elementary");
      if (!project) throw new Error("elementary is no longer a parseable corpus project");
      const projectDir = join(corpus.dir, project.name, project.projectDir);
      const { forked, plain } = await bothWays({ args: ["parse", "--no-partial-parse"], projectDir, profilesDir: corpus.profilesDir(project) }, "corpus");
      expect(forked.result.exitCode, forked.result.otherOutput).toBe(0);
      expect(plain.result.exitCode).toBe(0);
      expect(comparableEvents(forked.result, forked.own)).toEqual(comparableEvents(plain.result, plain.own));
      expect(await comparableManifest(forked.targetPath, forked.own)).toEqual(await comparableManifest(plain.targetPath, plain.own));
    });
  });

  it("without --profiles-dir, dbt looks in the project folder, then in HOME's .dbt, per call (HOME and cwd are not frozen in the server)", async () => {
    const homes = [join(work, "home-a"), join(work, "home-b")];
    for (const home of homes) {
      await mkdir(join(home, ".dbt"), { recursive: true });
      await copyFile(join(example.dbtDir, "profiles.yml"), join(home, ".dbt", "profiles.yml"));
    }
    const withProfiles = example.dbtDir;
    const withoutProfiles = join(work, "no-profiles");
    await (await import("node:fs/promises")).cp(example.dbtDir, withoutProfiles, { recursive: true });
    await rm(join(withoutProfiles, "profiles.yml"));
    // `dbt debug --config-dir` names the profiles folder dbt uses.
    const configDir = async (projectDir: string, home: string, forkServer: boolean) => {
      const result = await spawnDbt({ command: dbt.command, args: ["debug", "--config-dir"], projectDir, timeoutMs: 300_000, forkServer, setEnv: { HOME: home } });
      expect(result.exitCode, result.otherOutput).toBe(0);
      return result.events.map((e) => e.msg).find((msg) => msg.includes("profiles.yml")) ?? result.events.map((e) => e.msg).join("\n");
    };
    const cases = [
      [withProfiles, homes[0], withProfiles],
      [withoutProfiles, homes[0], join(homes[0] as string, ".dbt")],
      [withProfiles, homes[1], withProfiles],
      [withoutProfiles, homes[1], join(homes[1] as string, ".dbt")],
    ] as [string, string, string][];
    // Plain dbt's answer in two of the cases (one per kind of folder, each in another HOME), as a
    // template of the folder it names: every forked answer must be that template with its own folder.
    const templates = new Map<string, string>();
    for (const [projectDir, home, expected] of [cases[0]!, cases[3]!]) {
      const plain = await configDir(projectDir, home, false);
      expect(plain).toContain(expected);
      templates.set(projectDir, plain.split(expected).join("<folder>"));
    }
    for (const [projectDir, home, expected] of cases) {
      const forked = await configDir(projectDir, home, true);
      expect(forked).toBe(templates.get(projectDir)!.split("<folder>").join(expected));
    }
  });
});

describe("a command-line process", () => {
  it("stays alive while its first dbt call waits for the server's imports, and ends after it (the server does not keep it)", async () => {
    // As the CLI runs: one Node process whose only pending work is the dbt call.
    const bundle = await buildWorkerBundle(
      `import { spawnDbt } from "./src/adapters/dbt/spawnDbt.ts";\nimport { forkServerPids } from "./src/adapters/dbt/forkServer.ts";\n` +
        `const result = await spawnDbt(JSON.parse(process.argv[2]));\nconsole.log(JSON.stringify({ exitCode: result.exitCode, events: result.events.length, servers: forkServerPids().length }));\n`,
    );
    try {
      await copyFile(join(REPO_ROOT, "src/adapters/dbt/dbtForkServer.py"), join(dirname(bundle.path), "dbtForkServer.py"));
      const options = {
        command: dbt.command,
        args: ["parse", "--target-path", join(work, "cli-target")],
        projectDir: example.dbtDir,
        profilesDir: example.dbtDir,
        timeoutMs: 300_000,
        setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(work, "cli.duckdb") },
      };
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [bundle.path, JSON.stringify(options)], { stdio: ["ignore", "pipe", "inherit"] });
        let stdout = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString("utf8");
        });
        child.on("close", (code) => resolve({ code, stdout }));
      });
      expect(out.code).toBe(0);
      const said = JSON.parse(out.stdout) as { exitCode: number; events: number; servers: number };
      expect(said.exitCode).toBe(0);
      expect(said.events).toBeGreaterThan(0);
      expect(said.servers).toBe(1);
    } finally {
      await bundle.cleanup();
    }
  });
});

describe("only a plain console script of dbt goes through the server", () => {
  it("the venv's dbt does; a shell wrapper and a Python script doing more than the console script do not", async () => {
    expect(await consoleScriptPython(dbt.command)).toMatch(/python/);
    const shell = join(work, "dbt-shell");
    await writeFile(shell, `#!/bin/sh\nexec ${JSON.stringify(dbt.command)} "$@"\n`);
    await chmod(shell, 0o755);
    expect(await consoleScriptPython(shell)).toBeNull();
    const uvStyle = join(work, "dbt-uv");
    const python = (await readFile(dbt.command, "utf8")).split("\n", 1)[0];
    await writeFile(
      uvStyle,
      `${python}\n# -*- coding: utf-8 -*-\nimport sys\nfrom dbt.cli.main import cli\nif __name__ == "__main__":\n    if sys.argv[0].endswith("-script.pyw"):\n        sys.argv[0] = sys.argv[0][:-11]\n    elif sys.argv[0].endswith(".exe"):\n        sys.argv[0] = sys.argv[0][:-4]\n    sys.exit(cli())\n`,
    );
    expect(await consoleScriptPython(uvStyle)).toMatch(/python/);
  });

  it("a Python wrapper runs in a fresh interpreter (dbt not imported yet when it starts)", async () => {
    const wrapper = join(work, "dbt-wrapper");
    const seen = join(work, "wrapper-saw");
    const python = (await readFile(dbt.command, "utf8")).split("\n", 1)[0];
    await writeFile(wrapper, `${python}\nimport sys\nopen(${JSON.stringify(seen)}, "w").write(str("dbt.cli.main" in sys.modules))\nfrom dbt.cli.main import cli\nif __name__ == "__main__":\n    sys.exit(cli())\n`);
    await chmod(wrapper, 0o755);
    const result = await spawnDbt({
      command: wrapper,
      // The cheapest call (no project to parse): what matters is what the wrapper saw when it started.
      args: ["debug", "--config-dir"],
      projectDir: example.dbtDir,
      profilesDir: example.dbtDir,
      timeoutMs: 300_000,
      setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(work, "wrapper.duckdb") },
    });
    expect(result.exitCode, result.otherOutput).toBe(0);
    expect(await readFile(seen, "utf8")).toBe("False");
  });

  it("a call whose environment differs in a variable dbt read at import is not served (the client says fallback; nothing runs)", async () => {
    // dbt's environment as spawnDbt gives it: the server the other tests' calls use.
    const env = dbtEnvironment(process.env);
    const call = await forkedCall(dbt.command, env);
    expect(call).not.toBeNull();
    const run = (extra: Record<string, string>) =>
      new Promise<{ code: number | null; control: string }>((resolve) => {
        const child = spawn(call!.file, call!.args(["--help"]), { env: { ...env, ...extra }, stdio: ["ignore", "ignore", "ignore", "pipe"] });
        let control = "";
        (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => {
          control += chunk.toString("utf8");
        });
        child.on("close", (code) => resolve({ code, control }));
      });
    // dbt/context/base.py decides at import whether `debug()` exists from DBT_MACRO_DEBUGGING.
    const refused = await run({ DBT_MACRO_DEBUGGING: "1" });
    expect(refused.code).toBe(75);
    expect(refused.control).toContain("DBT_MACRO_DEBUGGING");
    const served = await run({ DBT_SOMETHING_ELSE: "1" });
    expect(served.code).toBe(0);
    expect(served.control).toMatch(/^started \d+\n$/);
  });
});

describe("no dbt outlives its call", () => {
  /**
   * A Python model that writes its process id, then sleeps; dbt holds the DuckDB file meanwhile. The
   * id goes through a FIFO: the test's read ends when the model has written it (a gate, not a poll).
   */
  async function sleepyRun(options: { signal?: AbortSignal; timeoutMs?: number; onPid?: (pid: number) => void }) {
    const model = join(example.dbtDir, "transform", "gold", "fork_sleepy.py");
    const pidFile = join(work, `sleepy-${Math.random().toString(36).slice(2)}.pid`);
    const db = join(work, `sleepy-${Math.random().toString(36).slice(2)}.duckdb`);
    spawnSync("mkfifo", [pidFile]);
    await writeFile(
      model,
      `import os, time\n\ndef model(dbt, session):\n    with open(${JSON.stringify(pidFile)}, "w") as f:\n        f.write(str(os.getpid()))\n    time.sleep(600)\n    return session.sql("select 1 as x")\n`,
    );
    let pid = 0;
    // Ends when the model closes the FIFO, or, when dbt ended without running it, when this test does.
    let pidWritten = false;
    const pidRead = readFile(pidFile, "utf8").then((text) => {
      pidWritten = true;
      return Number(text);
    });
    try {
      const running = spawnDbt({
        command: dbt.command,
        args: ["run", "--select", "fork_sleepy", "--target-path", join(work, "sleepy-target")],
        projectDir: example.dbtDir,
        profilesDir: example.dbtDir,
        timeoutMs: options.timeoutMs ?? 300_000,
        setEnv: { DBT_UNSKIP_DUCKDB_PATH: db },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const pidOrEnd = await Promise.race([pidRead, running.then(() => 0)]);
      if (!pidWritten) await writeFile(pidFile, "");
      pid = pidOrEnd;
      if (pid) options.onPid?.(pid);
      const result = await running;
      return { result, pid, db };
    } finally {
      await rm(model, { force: true });
      await removePythonModelFiles(pidFile);
    }
  }

  /**
   * dbt-duckdb runs a Python model from a `tmp*.py` file in the temporary folder and removes it when
   * the model returns; a killed run leaves it, and the `.pyc` Python compiled from it. Only the files
   * holding this run's model (its unique FIFO path) are removed: other processes share the folder.
   */
  async function removePythonModelFiles(marker: string): Promise<void> {
    const dir = tmpdir();
    for (const name of await readdir(dir)) {
      if (!/^tmp\w+\.py$/.test(name)) continue;
      if (!(await readFile(join(dir, name), "utf8").catch(() => "")).includes(marker)) continue;
      await rm(join(dir, name), { force: true });
      const compiled = join(dir, "__pycache__");
      for (const pyc of await readdir(compiled).catch(() => [] as string[])) if (pyc.startsWith(`${name.slice(0, -3)}.`)) await rm(join(compiled, pyc), { force: true });
    }
  }

  /** The folders (dbtForkServer.py's `dbt-unskip-fork-*`) of the Unix sockets process `pid` holds, from /proc. */
  function socketFolders(pid: number): string[] {
    const inodes = new Set<string>();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    }
    return readFileSync("/proc/net/unix", "utf8")
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .flatMap((fields) => (fields.length >= 8 && inodes.has(fields[6]!) ? [dirname(fields[7]!)] : []))
      .filter((folder) => basename(folder).startsWith("dbt-unskip-fork-"));
  }

  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  it("an interrupt (AbortSignal) ends the forked dbt and releases the DuckDB file before spawnDbt returns", async () => {
    const controller = new AbortController();
    const { result, pid, db } = await sleepyRun({ signal: controller.signal, onPid: () => controller.abort() });
    expect(pid).toBeGreaterThan(0);
    expect(result.killedBy).toBe("SIGTERM");
    expect(alive(pid)).toBe(false);
    expect(await duckdbExecute(db, "select 42")).toEqual([[42]]);
  });

  it("a timeout ends the forked dbt and releases the DuckDB file", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { result, pid, db } = await sleepyRun({ timeoutMs: 1_000_000, onPid: () => vi.advanceTimersByTime(1_000_000) });
      expect(pid).toBeGreaterThan(0);
      expect(result.timedOut).toBe(true);
      expect(result.killedBy).toBe("SIGTERM");
      expect(alive(pid)).toBe(false);
      expect(await duckdbExecute(db, "select 42")).toEqual([[42]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a stop that reaches the child before it has its own signal handlers still ends it (SIGTERM is held across the fork)", async () => {
    // held_term.py holds the server's next child right after the fork (an at-fork hook), sends the
    // client's "term", lets the server handle it, then lets the child go: no clock. Before the fix
    // the child's copy of the server's SIGTERM handler took the stop and dbt ran on ("exit 0"): a
    // cancelled Action then waited for dbt until the runner killed it.
    const python = await consoleScriptPython(dbt.command);
    expect(python).not.toBeNull();
    const script = join(REPO_ROOT, "test", "fixtures", "scripts", "held_term.py");
    const run = spawnSync(python as string, [script, FORK_SERVER_SCRIPT, dbt.command], { encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" }, timeout: 240_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("signal 15");
  });

  it("the server killed mid-run: that call fails saying so, its dbt is gone, the next call runs dbt the plain way", async () => {
    const servers = forkServerPids();
    expect(servers.length).toBeGreaterThan(0);
    // A server SIGKILLed cannot remove its socket's folder: the test does, once it is done.
    const folders = servers.flatMap(socketFolders);
    onTestFinished(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))).then(() => undefined));
    const { result, pid, db } = await sleepyRun({
      onPid: () => {
        for (const server of servers) process.kill(server, "SIGKILL");
      },
    });
    expect(pid).toBeGreaterThan(0);
    expect(result.exitCode).toBe(70);
    expect(result.otherOutput).toContain("the dbt fork server ended during the run");
    expect(alive(pid)).toBe(false);
    expect(await duckdbExecute(db, "select 42")).toEqual([[42]]);
    const next = await spawnDbt({
      command: dbt.command,
      args: ["debug", "--config-dir"],
      projectDir: example.dbtDir,
      profilesDir: example.dbtDir,
      timeoutMs: 300_000,
      setEnv: { DBT_UNSKIP_DUCKDB_PATH: db },
    });
    expect(next.exitCode, next.otherOutput).toBe(0);
    expect(forkServerPids()).toEqual([]);
  });
});
