// Measures the bot's peak memory (VmHWM, Linux) when sent a huge unsigned body and a signed one
// within GitHub's 25 MB cap (issue #15 item 1, RELIABILITY 27). Loopback only; each case in a fresh
// bot process, stopped afterwards. Usage: node scripts/build.mjs && node scripts/measure-bot-memory.mjs
//   [--bundle dist/bot.js] [--unsigned-mb 300] [--signed-mb 20]
import { spawn } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
};
const bundle = resolve(arg("--bundle", "dist/bot.js"));
const unsignedMb = Number(arg("--unsigned-mb", "300"));
const signedMb = Number(arg("--signed-mb", "20"));
const MB = 1024 * 1024;
const SECRET = "measure-secret";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

async function startBot() {
  const cwd = mkdtempSync(join(tmpdir(), "dbt-unskip-botmem-"));
  const child = spawn(process.execPath, [bundle], {
    cwd,
    env: { PATH: process.env.PATH ?? "", APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", GITHUB_API_URL: "http://127.0.0.1:9" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start: ${output}`)), 20000);
    const read = (chunk) => {
      output += chunk;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => reject(new Error(`bot exited ${code}: ${output}`)));
  });
  return { child, port, cwd };
}

const peakKb = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);

/** Writes the head, then `total` body bytes (or until the server answers); returns status and bytes sent. */
function sendRaw(port, head, total, { chunked, body }) {
  return new Promise((resolveSend) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    let sent = 0;
    let answered = false;
    const piece = body ?? Buffer.alloc(MB, 0x61);
    const pump = () => {
      while (!answered && !socket.destroyed && sent < total) {
        const part = piece.subarray(0, Math.min(piece.length, total - sent));
        sent += part.length;
        const frame = chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n")]) : part;
        if (!socket.write(frame)) return void socket.once("drain", pump);
      }
      if (!answered && chunked && !socket.destroyed) socket.write("0\r\n\r\n");
    };
    socket.on("data", (d) => {
      answered = true;
      answer += d.toString("latin1");
      if (/\r\n\r\n/.test(answer)) socket.end();
    });
    const done = () => resolveSend({ status: answer.split("\r\n")[0] || "(no answer)", sentMb: +(sent / MB).toFixed(1) });
    socket.on("close", done);
    socket.on("error", () => undefined);
    socket.write(head, pump);
  });
}

async function measure(name, run) {
  const bot = await startBot();
  const idleKb = peakKb(bot.child.pid);
  const result = await run(bot.port);
  await new Promise((r) => setTimeout(r, 300));
  const kb = peakKb(bot.child.pid);
  bot.child.kill("SIGTERM");
  await new Promise((r) => bot.child.once("exit", r));
  rmSync(bot.cwd, { recursive: true, force: true });
  const row = { case: name, ...result, idlePeakMb: Math.round(idleKb / 1024), peakRssMb: Math.round(kb / 1024) };
  console.log(JSON.stringify(row));
  return row;
}

const head = (extra) => `POST /api/github/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-GitHub-Event: ping\r\nX-GitHub-Delivery: m-1\r\n${extra}\r\n`;

console.log(`bundle ${bundle}; node ${process.version}`);
await measure(`unsigned ${unsignedMb} MB, chunked, wrong signature`, (port) => sendRaw(port, head("X-Hub-Signature-256: sha256=00\r\nTransfer-Encoding: chunked\r\n"), unsignedMb * MB, { chunked: true }));
await measure(`unsigned ${unsignedMb} MB, content-length, wrong signature`, (port) =>
  sendRaw(port, head(`X-Hub-Signature-256: sha256=00\r\nContent-Length: ${unsignedMb * MB}\r\n`), unsignedMb * MB, { chunked: false }),
);
const payload = Buffer.from(JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1, pad: "x".repeat(signedMb * MB - 100) }));
const signature = `sha256=${createHmac("sha256", SECRET).update(payload).digest("hex")}`;
await measure(`signed ${(payload.length / MB).toFixed(1)} MB ping, content-length`, (port) =>
  sendRaw(port, head(`X-Hub-Signature-256: ${signature}\r\nContent-Length: ${payload.length}\r\n`), payload.length, { chunked: false, body: payload }),
);
