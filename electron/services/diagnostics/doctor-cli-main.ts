import { doctorCli } from './doctor-cli';

// Plain-Node entry of the doctor: `node doctor-cli-main.mjs --doctor …` (bundled with esbuild).
// Electron's main calls doctorCli(process.argv) itself when it sees --doctor, before opening a window.
doctorCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`doctor failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
