// src/action/main.ts
async function run() {
  process.stdout.write("subagent-tracking: the Action is not built yet; nothing to do\n");
}
await run();
export {
  run
};
