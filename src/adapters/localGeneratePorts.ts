import type { GeneratePorts } from "../usecases/generatePorts.js";
import { localDisk } from "./files/localDisk.js";
import { profileCsvFile } from "./files/profileCsvFile.js";
import { writeFilesAtomically } from "./files/writeFilesAtomically.js";

/** The real file work behind `GeneratePorts`: the disk, the CSV streamed from it, the files written all or none. What the CLI hands `generateFromCsv`. */
export const localGeneratePorts: GeneratePorts = { disk: localDisk, profileCsv: profileCsvFile, writeNewFiles: writeFilesAtomically };
