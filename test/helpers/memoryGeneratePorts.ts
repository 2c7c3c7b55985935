import { CsvFormatError } from "../../src/core/csv/csvFormatError.js";
import { createCsvTextProfiler } from "../../src/core/csv/profileCsvText.js";
import { UserError } from "../../src/core/userError.js";
import type { GeneratePorts } from "../../src/usecases/generatePorts.js";
import { memoryDisk } from "./memoryDisk.js";

/**
 * Generate's ports held in memory over `memoryDisk(files)` (absolute paths to text): the CSV profiled
 * from the text held there (the core's profiler, as the real one feeds it), new files written into it
 * all or none (refusing one that is there, `beforeCommit` asked before any is in place). `writes`
 * records each batch asked for, `modes` the permission bits asked for each file.
 */
export function memoryGeneratePorts(files: Record<string, string>) {
  const disk = memoryDisk(files);
  const writes: string[][] = [];
  const modes = new Map<string, number>();
  const ports: GeneratePorts = {
    disk,
    async profileCsv(input) {
      disk.asked.push(`profileCsv ${input.path}`);
      const text = disk.texts.get(input.path);
      if (text === undefined) throw new UserError(`${input.display}: no such file`);
      const profiler = createCsvTextProfiler({ nullPolicy: input.nullPolicy, headerCheck: input.headerCheck });
      try {
        profiler.feed(text);
        return { profile: profiler.finish(), size: Buffer.byteLength(text), mtimeMs: 0 };
      } catch (error) {
        throw error instanceof CsvFormatError ? error.inFile(input.display) : error;
      }
    },
    async writeNewFiles(toWrite, options) {
      writes.push(toWrite.map((f) => f.path));
      const texts = toWrite.map((f) => {
        if (disk.texts.has(f.path)) throw new Error(`${f.path} appeared while generating; nothing was written`);
        const text = "copyFrom" in f ? disk.texts.get(f.copyFrom) : f.content;
        if (text === undefined) throw new Error(`ENOENT: ${"copyFrom" in f ? f.copyFrom : f.path}`);
        return text;
      });
      await options.beforeCommit?.();
      for (const [i, f] of toWrite.entries()) {
        disk.texts.set(f.path, texts[i]!);
        modes.set(f.path, "copyFrom" in f ? 0o644 : (f.mode ?? 0o644));
      }
    },
  };
  return { ...ports, disk, writes, modes };
}
