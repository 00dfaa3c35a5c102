// The dashboard's browser files are plain JavaScript and CSS that tsc does not compile: the build
// copies them beside the compiled server code, which serves them from there.
import { cpSync, rmSync } from 'node:fs';

const from = 'src/server/dashboard/assets';
const to = 'dist/src/server/dashboard/assets';

rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
