// Small helpers shared by the command-line scripts.

export async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function writeJson(obj) {
  return new Promise(resolve => {
    process.stdout.write(JSON.stringify(obj, null, 2) + '\n', resolve);
  });
}
