#!/usr/bin/env node
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// cli/plugin-launcher.ts
var fs = __toESM(require("node:fs"), 1);
var path = __toESM(require("node:path"), 1);
var PKG_BIN = path.join("node_modules", "subagent-tracking", "dist", "bin.cjs");
function gitTop(dir) {
  let d = path.resolve(dir);
  for (; ; ) {
    const dotGit = path.join(d, ".git");
    let st = null;
    try {
      st = fs.statSync(dotGit);
    } catch {
      st = null;
    }
    if (st?.isDirectory()) return { top: d, commonDir: dotGit };
    if (st?.isFile()) {
      try {
        const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, "utf8"));
        if (!m) return null;
        const gitDir = path.resolve(d, m[1].trim());
        let commonDir = gitDir;
        try {
          commonDir = path.resolve(gitDir, fs.readFileSync(path.join(gitDir, "commondir"), "utf8").trim());
        } catch {
        }
        return { top: d, commonDir };
      } catch {
        return null;
      }
    }
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}
var isFile = (f) => {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
};
function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, name);
    if (!isFile(f)) continue;
    try {
      const real = fs.realpathSync(f);
      if (real.endsWith(path.join("dist", "bin.cjs"))) return real;
    } catch {
    }
  }
  return null;
}
function findCli(project, here) {
  const repo = gitTop(project);
  const candidates = [
    path.join(repo?.top ?? project, PKG_BIN),
    // a non-bare clone's common dir is <main work tree>/.git
    repo && path.basename(repo.commonDir) === ".git" ? path.join(path.dirname(repo.commonDir), PKG_BIN) : null,
    path.resolve(here, "..", "..", "dist", "bin.cjs")
  ];
  for (const c of candidates) if (c && isFile(c)) return c;
  return onPath("agent-track");
}
function tracked(project) {
  const repo = gitTop(project);
  if (!repo) return false;
  if (isFile(path.join(repo.commonDir, "refs", "heads", "agent-tracking"))) return true;
  if (isFile(path.join(repo.top, ".agent-tracking.yml"))) return true;
  try {
    return /\srefs\/heads\/agent-tracking$/m.test(
      fs.readFileSync(path.join(repo.commonDir, "packed-refs"), "utf8")
    );
  } catch {
    return false;
  }
}
function settingsHook(project) {
  const top = gitTop(project)?.top ?? project;
  for (const f of ["settings.json", "settings.local.json"]) {
    try {
      const text = fs.readFileSync(path.join(top, ".claude", f), "utf8");
      if (/(bin\.cjs(\\")?|agent-track) hook\b/.test(text)) return true;
    } catch {
    }
  }
  return false;
}
function main() {
  const args = process.argv.slice(2);
  const hook = args[0] === "hook";
  const project = process.env.CLAUDE_PROJECT_DIR || process.cwd();
  let cli = null;
  try {
    if (hook && (!tracked(project) || settingsHook(project))) cli = null;
    else cli = findCli(project, __dirname);
  } catch {
    cli = null;
  }
  if (!cli) {
    if (hook) {
      process.stdin.on("data", () => {
      });
      process.stdin.on("error", () => {
      });
      process.exitCode = 0;
      return;
    }
    process.stderr.write(
      "agent-track: not installed for this project. Install it with `npm i -D subagent-tracking` (or `npm i -g subagent-tracking`), then run `node node_modules/subagent-tracking/dist/bin.cjs init --plugin` in the project.\n"
    );
    process.exitCode = 1;
    return;
  }
  process.argv[1] = cli;
  try {
    require(cli);
  } catch (e) {
    if (!hook) throw e;
    process.exitCode = 0;
  }
}
main();
