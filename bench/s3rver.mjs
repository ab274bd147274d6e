// s3rver (the tests' S3 protocol server) in a child process on 127.0.0.1, for the benchmarks that run
// the CLI synchronously; the environment that points the AWS SDK at it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Starts s3rver with a bucket `bench`, its data under a new folder of `work`. */
export async function startS3rver(work, root, name = 's3rver-') {
  const data = fs.mkdtempSync(path.join(work, name));
  const server = spawn(
    process.execPath,
    [
      '-e',
      `const S3rver = require('s3rver'); new S3rver({ port: 0, address: '127.0.0.1', directory: ${JSON.stringify(data)}, silent: true, configureBuckets: [{ name: 'bench' }] }).run().then(({ port }) => console.log(port));`,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise((resolve) =>
    server.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
  );
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  };
  return { server, env };
}
