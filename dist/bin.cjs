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
var __toESM = (mod, isNodeMode, target2) => (target2 = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target2, "default", { value: mod, enumerable: true }) : target2,
  mod
));

// cli/bin.ts
var fs10 = __toESM(require("node:fs"), 1);
var path10 = __toESM(require("node:path"), 1);
var import_node_url = require("node:url");

// src/capture/hook.ts
var import_node_child_process2 = require("node:child_process");
var import_node_crypto6 = require("node:crypto");
var fs9 = __toESM(require("node:fs"), 1);
var os3 = __toESM(require("node:os"), 1);
var path9 = __toESM(require("node:path"), 1);

// src/model/status.ts
function sessionStatus(s, ctx) {
  if (s.ended || s.imported && !s.pid) return "ended";
  let gone;
  if (typeof s.pid === "number" && s.pid > 0 && s.host === ctx.host) gone = !ctx.alive(s.pid);
  else {
    const last = s.lastActivity ? Date.parse(s.lastActivity) : Number.NaN;
    gone = Number.isFinite(last) && ctx.now - last > ctx.crashedAfterMinutes * 6e4;
  }
  if (!gone) return "running";
  return s.lastTurnEnded ? "ended" : "crashed";
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

// src/store/config.ts
var fs3 = __toESM(require("node:fs"), 1);
var path3 = __toESM(require("node:path"), 1);

// src/model/config.ts
var DEFAULT_CONFIG = {
  phase: "phase-1",
  snapshots: { everyAgents: 10, everyTokens: 2e4 },
  flush: { everyEvents: 50 },
  limits: { toolOutputBytes: 32 * 1024, fileContentBytes: 256 * 1024 },
  redaction: { extraPatterns: [], allow: [] },
  pricing: {},
  recovery: { handoffBudget: 2e3, injectOnStartup: true, crashedAfterMinutes: 30 },
  tracking: { remote: "origin", pushOnSessionEnd: false },
  transcripts: { keep: true },
  archive: {
    bucket: null,
    prefix: "agent-tracking",
    keep: 2,
    storageClass: "DEEP_ARCHIVE",
    lake: false,
    repo: null,
    compact: false
  },
  backup: { driveFolderId: null, sharedDriveId: null, keep: 1 },
  budget: { session: null, phase: null },
  attribution: { trailers: false }
};
var positiveOrNull = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : null;
var strOrNull = (v) => typeof v === "string" && v.trim() ? v.trim() : null;
var nonNegInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var posInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : d;
var price = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : void 0;
function pricingOf(raw) {
  const out = {};
  if (!isObj(raw)) return out;
  for (const [model, v] of Object.entries(raw)) {
    if (!isObj(v)) continue;
    const input = price(v.input);
    const output = price(v.output);
    if (input === void 0 || output === void 0) continue;
    out[model] = { input, output };
    for (const k of ["cacheRead", "cacheWrite5m", "cacheWrite1h"]) {
      const x = price(v[k]);
      if (x !== void 0) out[model][k] = x;
    }
  }
  return out;
}
function normalizeConfig(raw) {
  const r2 = isObj(raw) ? raw : {};
  const sub = (k) => isObj(r2[k]) ? r2[k] : {};
  const d = DEFAULT_CONFIG;
  const extra = sub("redaction").extraPatterns;
  const allow = sub("redaction").allow;
  return {
    phase: typeof r2.phase === "string" && /^[\w.-]+$/.test(r2.phase) ? r2.phase : d.phase,
    snapshots: {
      everyAgents: posInt(sub("snapshots").everyAgents, d.snapshots.everyAgents),
      everyTokens: posInt(sub("snapshots").everyTokens, d.snapshots.everyTokens)
    },
    flush: { everyEvents: posInt(sub("flush").everyEvents, d.flush.everyEvents) },
    limits: {
      // never a value whose object would pass the branch's cap on one object (BLOB_CAP_BYTES)
      toolOutputBytes: Math.min(
        LIMIT_CAP_BYTES,
        posInt(sub("limits").toolOutputBytes, d.limits.toolOutputBytes)
      ),
      fileContentBytes: Math.min(
        LIMIT_CAP_BYTES,
        posInt(sub("limits").fileContentBytes, d.limits.fileContentBytes)
      )
    },
    redaction: {
      extraPatterns: Array.isArray(extra) ? extra.filter((p) => typeof p === "string") : [],
      allow: Array.isArray(allow) ? allow.filter((p) => typeof p === "string") : []
    },
    pricing: pricingOf(r2.pricing),
    recovery: {
      handoffBudget: posInt(sub("recovery").handoffBudget, d.recovery.handoffBudget),
      injectOnStartup: typeof sub("recovery").injectOnStartup === "boolean" ? sub("recovery").injectOnStartup : d.recovery.injectOnStartup,
      crashedAfterMinutes: posInt(sub("recovery").crashedAfterMinutes, d.recovery.crashedAfterMinutes)
    },
    tracking: {
      remote: typeof sub("tracking").remote === "string" && sub("tracking").remote.trim() ? sub("tracking").remote.trim() : d.tracking.remote,
      pushOnSessionEnd: typeof sub("tracking").pushOnSessionEnd === "boolean" ? sub("tracking").pushOnSessionEnd : d.tracking.pushOnSessionEnd
    },
    transcripts: {
      keep: typeof sub("transcripts").keep === "boolean" ? sub("transcripts").keep : d.transcripts.keep
    },
    archive: {
      bucket: strOrNull(sub("archive").bucket),
      prefix: (strOrNull(sub("archive").prefix) ?? d.archive.prefix).replace(/^\/+|\/+$/g, ""),
      keep: nonNegInt(sub("archive").keep, d.archive.keep),
      storageClass: strOrNull(sub("archive").storageClass) ?? d.archive.storageClass,
      lake: typeof sub("archive").lake === "boolean" ? sub("archive").lake : d.archive.lake,
      repo: strOrNull(sub("archive").repo),
      compact: typeof sub("archive").compact === "boolean" ? sub("archive").compact : strOrNull(sub("archive").bucket) !== null
    },
    budget: {
      session: positiveOrNull(sub("budget").session),
      phase: positiveOrNull(sub("budget").phase)
    },
    backup: {
      driveFolderId: strOrNull(sub("backup").driveFolderId),
      sharedDriveId: strOrNull(sub("backup").sharedDriveId),
      keep: nonNegInt(sub("backup").keep, d.backup.keep)
    },
    attribution: {
      trailers: typeof sub("attribution").trailers === "boolean" ? sub("attribution").trailers : d.attribution.trailers
    }
  };
}
var CONFIG_FILE = ".agent-tracking.yml";
var LIMIT_CAP_BYTES = 8 * 1024 * 1024;

// src/model/redact-allow.ts
var PUBLIC_EXAMPLES = /* @__PURE__ */ new Set([
  // gitleaks gcp-api-key allowlist: the Firebase SDKs' example keys
  "AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
  "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
  "AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM",
  "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
  "AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0",
  "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
  "AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c",
  "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
  "AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY",
  "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
  "AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ",
  "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
  "AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU",
  "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
  "AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE",
  "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
  // gitleaks generic-api-key stopword: Yarn's public Algolia search key (yarnpkg/berry#6201)
  "6fe4476ee5a1832882e326b506d14126",
  // gitleaks global stopword: the Checkmarx Python SDK README's client secret
  "014df517-39d1-4453-b7b3-9930c563627c",
  // gitleaks nuget-config-password allowlist: learn.microsoft.com's nuget.config samples
  "33f!!lloppa",
  "hal+9ooo_da!sY"
]);
var isPublicExample = (value) => PUBLIC_EXAMPLES.has(value);
var STOPWORDS_TEXT = "000000 _ec2_ aaaaaa about abstract academy acces account act- act. act_ action active actively activity adapter add- add-on add. add_ addon addres admin adobe advanced adventure agent agile air- air. air_ ajax akka alert alfred algorithm all- all. all_ alloy alpha amazon amqp analysi analytic analyzer android angular angularj animate animation another ansible answer ant- ant. ant_ any- any. any_ apache app- app. app_ apple arch archive archived arduino array art- art. art_ article asp- asp. asp_ asset async atom attention audio audit aura auth author authorize auto automated automatic awesome aws_ azure back backbone backend backup bar- bar. bar_ base based bash basic batch been beer behavior being benchmark best beta better big- big. big_ binary binding bit- bit. bit_ bitcoin block blog board book bookmark boost boot bootstrap bosh bot- bot. bot_ bower box- box. box_ boxen bracket branch bridge browser brunch buffer bug- bug. bug_ build builder building buildout buildpack built bundle busines but- but. but_ button cache caching cakephp calendar call camera campfire can- can. can_ canva captcha capture card carousel case cassandra cat- cat. cat_ category center cento challenge change changelog channel chart chat cheat check checker chef ches chinese chosen chrome ckeditor clas classe classic clean cli- cli. cli_ client clojure clone closure cloud club cluster cms- cms_ coco code coding coffee color combination combo command commander comment commit common community compas compiler complete component composer computer computing con- con. con_ concept conf config connect connector console contact container contao content contest context control convert converter conway' cookbook cookie cool copy cordova core couchbase couchdb countdown counter course craft crawler create creating creator credential crm- crm. crm_ cros crud csv- csv. csv_ cube cucumber cuda current currently custom daemon dark dart dash dashboard data database date day- day. day_ dead debian debug debugger deck define del- del. del_ delete demo deploy design designer desktop detection detector dev- dev. dev_ develop developer device devise diff digital directive directory discovery display django dns- dns_ doc- doc. doc_ docker docpad doctrine document doe- doe. doe_ dojo dom- dom. dom_ domain don't done dot- dot. dot_ dotfile download draft drag drill drive driven driver drop dropbox drupal dsl- dsl. dsl_ dynamic easy ecdsa eclipse edit editing edition editor element emac email embed embedded ember emitter emulator encoding endpoint engine english enhanced entity entry env_ episode erlang error espresso event evented example exchange exercise experiment expire exploit explorer export exporter expres ext- ext. ext_ extended extension external extra extractor fabric facebook factory fake fast feature feed fewfwef ffmpeg field file filter find finder firefox firmware first fish fix- fix_ flash flask flat flex flexible flickr flow fluent fluentd fluid folder font force foreman fork form format formatter forum foundry framework free friend friendly front-end frontend ftp- ftp. ftp_ fuel full fun- fun. fun_ func future gaia gallery game gateway gem- gem. gem_ gen- gen. gen_ general generator generic genetic get- get. get_ getenv getting ghost gist git- git. git_ github gitignore gitlab glas gmail gnome gnu- gnu. gnu_ goal golang gollum good google gpu- gpu. gpu_ gradle grail graph graphic great grid groovy group grunt guard gui- gui. gui_ guide guideline gulp gwt- gwt. gwt_ hack hackathon hacker hacking hadoop haml handler hardware has- has_ hash haskell have haxe hello help helper here hero heroku high hipchat history home homebrew homepage hook host hosting hot- hot. hot_ house how- how. how_ html http hub- hub. hub_ hubot human icon ide- ide. ide_ idea identity idiomatic image impact import important importer impres index infinite info injection inline input inside inspector instagram install installer instant intellij interface internet interview into intro ionic iphone ipython irc- irc_ iso- iso. iso_ issue jade jasmine java jbos jekyll jenkin jetbrains job- job. job_ joomla jpa- jpa. jpa_ jquery json just kafka karma kata kernel keyboard kindle kit- kit. kit_ kitchen knife koan kohana lab- lab. lab_ lambda lamp language laravel last latest latex launcher layer layout lazy ldap leaflet league learn learning led- led. led_ leetcode les- les. les_ level leveldb lib- lib. lib_ librarie library license life liferay light lightbox like line link linked linkedin linux lisp list lite little load loader local location lock log- log. log_ logger logging logic login logstash longer look love lua- lua. lua_ mac- mac. mac_ machine made magento magic mail make maker making man- man. man_ manage manager manifest manual map- map. map_ mapper mapping markdown markup master math matrix maven md5 mean media mediawiki meetup memcached memory menu merchant message messaging meta metadata meteor method metric micro middleman migration minecraft miner mini minimal mirror mit- mit. mit_ mobile mocha mock mod- mod. mod_ mode model modern modular module modx money mongo mongodb mongoid mongoose monitor monkey more motion moved movie mozilla mqtt mule multi multiple music mustache mvc- mvc. mvc_ mysql nagio name native need neo- neo. neo_ nest nested net- net. net_ nette network new- new. new_ next nginx ninja nlp- nlp. nlp_ node nodej nosql not- not. not_ note notebook notepad notice notifier now- now. now_ number oauth object objective obsolete ocaml octopres official old- old. old_ onboard online only open opencv opengl openshift openwrt option oracle org- org. org_ origin original orm- orm. orm_ osx- osx_ our- our. our_ out- out. out_ output over overview own- own. own_ pack package packet page panel paper paperclip para parallax parallel parse parser parsing particle party password patch path pattern payment paypal pdf- pdf. pdf_ pebble people perl personal phalcon phoenix phone phonegap photo php- php. php_ physic picker pipeline platform play player please plu- plu. plu_ plug-in plugin plupload png- png. png_ poker polyfill polymer pool pop- pop. pop_ popcorn popup port portable portal portfolio post power powered powerful prelude pretty preview principle print pro- pro. pro_ problem proc product profile profiler program progres project protocol prototype provider proxy public pull puppet pure purpose push pusher pyramid python quality query queue quick rabbitmq rack radio rail railscast random range raspberry rdf- rdf. rdf_ react reactive read reader readme ready real real-time reality realtime recipe recorder red- red. red_ reddit redi redmine reference refinery refresh registry related release remote rendering repo report request require required requirej research resource response resque rest restful resume reveal reverse review riak rich right ring robot role room router routing rpc- rpc. rpc_ rpg- rpg. rpg_ rspec ruby- ruby. ruby_ rule run- run. run_ runner running runtime rust rvm- rvm. rvm_ salt sample sandbox sas- sas. sas_ sbt- sbt. sbt_ scala scalable scanner schema scheme school science scraper scratch screen script scroll scs- scs. scs_ sdk- sdk. sdk_ sdl- sdl. sdl_ search secure security see- see. see_ seed select selector selenium semantic sencha send sentiment serie server service session set- set. set_ setting setup sha1 sha2 sha256 share shared sharing sheet shell shield shipping shop shopify shortener should show showcase side silex simple simulator single site skeleton sketch skin slack slide slider slim small smart smtp snake snapshot snippet soap social socket software solarized solr solution solver some soon source space spark spatial spec sphinx spine spotify spree spring sprite sql- sql. sql_ sqlite ssh- ssh. ssh_ stack staging standard stanford start started starter startup stat statamic state static statistic statsd statu steam step still stm- stm. stm_ storage store storm story strategy stream streaming string stripe structure studio study stuff style sublime sugar suite summary super support supported svg- svg. svg_ svn- svn. svn_ swagger swift switch switcher symfony symphony sync synopsi syntax system tab- tab. tab_ table tag- tag. tag_ talk target task tcp- tcp. tcp_ tdd- tdd. tdd_ team tech template term terminal testing tetri text textmate theme theory three thrift time timeline timer tiny tinymce tip- tip. tip_ title todo todomvc token tool toolbox toolkit top- top. top_ tornado touch tower tracker tracking traffic training transfer translate transport tree trello try- try. try_ tumblr tut- tut. tut_ tutorial tweet twig twitter type typo ubuntu uiview ultimate under unit unity universal unix update updated upgrade upload uploader uri- uri. uri_ url- url. url_ usage usb- usb. usb_ use- use. use_ used useful user using util utilitie utility vagrant validator value variou varnish version via- via. via_ video view viewer vim- vim. vim_ vimrc virtual vision visual vpn want warning watch watcher wave way- way. way_ weather web- web_ webapp webgl webhook webkit webrtc website websocket welcome what what' when where which why- why. why_ widget wifi wiki win- win. win_ window wip- wip. wip_ within without wizard word wordpres work worker workflow working workshop world wrapper write writer writing written www- www. www_ xamarin xcode xml- xml. xml_ xmpp xxxxxx yahoo yaml yandex yeoman yet- yet. yet_ yii- yii. yii_ youtube yui- yui. yui_ zend zero zip- zip. zip_ zsh- zsh. zsh_";
var stopwords = null;
function containsStopword(value) {
  stopwords ??= new Set(STOPWORDS_TEXT.split(" ").filter((w) => /^[a-z]{4,}$/.test(w)));
  const words = value.match(/[A-Z]?[a-z]{3,}|[A-Z]{4,}(?![a-z])/g);
  if (!words) return false;
  for (const w of words) if (w.length >= 4 && stopwords.has(w.toLowerCase())) return true;
  return false;
}

// src/model/redact-rules.ts
var B = String.raw`(?<![A-Za-z0-9_])`;
var E = String.raw`(?![A-Za-z0-9_])`;
var b64 = "A-Za-z0-9+/";
var r = (kind, hints, source, flags = "", extra = {}) => {
  let re = null;
  return {
    kind,
    hints,
    get re() {
      re ??= new RegExp(source, `g${flags}`);
      return re;
    },
    group: extra.group,
    lead: extra.lead,
    check: extra.check ?? variedEnough
  };
};
function variedEnough(s) {
  const body = s.replace(/^[A-Za-z]{1,12}[_.-]/, "");
  if (/(.)\1{7}/.test(body) || /(.{2,4})\1{3}/.test(body)) return false;
  if (/^[xX*0._-]+$/.test(body) || /x{6}|X{6}/.test(body)) return false;
  if (/EXAMPLE$|EXAMPLEKEY/.test(s)) return false;
  if (sequentialRun(body, 7)) return false;
  return new Set(body).size >= Math.min(8, Math.ceil(body.length / 4));
}
function sequentialRun(v, len) {
  let run = 1;
  for (let i = 1; i < v.length; i++) {
    run = v.charCodeAt(i) === v.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= len) return true;
  }
  return false;
}
var varied = { check: variedEnough };
var exact = { check: () => true };
var TOKEN_RULES = [
  // PEM / OpenSSH / PGP private keys (also JSON-escaped, with literal \n between lines)
  r(
    "private-key",
    ["private key"],
    String.raw`-----BEGIN[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,200000}?-----END[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s:,.\\-]{64,200000})`,
    "",
    { check: (s) => /[A-Za-z0-9+/]{40}/.test(s) }
  ),
  r(
    "putty-private-key",
    ["putty-user-key-file"],
    String.raw`PuTTY-User-Key-File-\d: [\s\S]{0,20000}?Private-MAC: [0-9a-f]{40,64}`
  ),
  r(
    "age-secret-key",
    ["age-secret-key-1"],
    String.raw`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`,
    "",
    exact
  ),
  // AWS: access key ids (the secret half is caught by keyword), Bedrock API keys
  r(
    "aws-access-key",
    ["akia", "asia", "abia", "acca", "a3t"],
    String.raw`${B}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}${E}`,
    "",
    varied
  ),
  r("aws-bedrock-key", ["absk"], String.raw`${B}ABSK[A-Za-z0-9+/]{109,269}={0,2}`),
  // GitHub: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained tokens
  r(
    "github-token",
    ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    String.raw`${B}gh[pousr]_[A-Za-z0-9]{36,255}${E}`,
    "",
    varied
  ),
  r("github-token", ["github_pat_"], String.raw`${B}github_pat_[A-Za-z0-9_]{60,255}${E}`, "", varied),
  // GitLab's documented token prefixes
  r(
    "gitlab-token",
    [
      "glpat-",
      "gldt-",
      "glft-",
      "glimt-",
      "glptt-",
      "glrt-",
      "glrtr-",
      "glcbt-",
      "glsoat-",
      "glagent-",
      "gloas-",
      "glffct-",
      "glwt-",
      "gr1348941"
    ],
    String.raw`${B}(?:glpat|gldt|glft|glimt|glptt|glrt|glrtr|glcbt|glsoat|glagent|gloas|glffct|glwt)-[A-Za-z0-9_-]{20,300}(?:\.[A-Za-z0-9]{2}\.?[A-Za-z0-9]{7,9})?${E}|${B}GR1348941[A-Za-z0-9_-]{20,64}${E}`,
    "",
    varied
  ),
  r("gitlab-session", ["_gitlab_session="], String.raw`_gitlab_session=[0-9a-z]{32}`),
  // Anthropic, OpenAI, Perplexity, Groq, xAI, Cohere-style prefixed keys
  // exact length and suffix, but a documentation filler (`…-klmnopqrstuvwx-…`) is still no key
  r(
    "anthropic-key",
    ["sk-ant-"],
    String.raw`${B}sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{93}AA${E}`,
    "",
    varied
  ),
  r(
    "anthropic-key",
    ["sk-ant-"],
    String.raw`${B}sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{20,200}`,
    "",
    varied
  ),
  r(
    "openai-key",
    ["t3blbkfj"],
    String.raw`${B}sk-(?:(?:proj|svcacct|service|admin)-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}`
  ),
  r(
    "openai-key",
    ["sk-proj-", "sk-svcacct-", "sk-admin-"],
    String.raw`${B}sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}`,
    "",
    varied
  ),
  r("perplexity-key", ["pplx-"], String.raw`${B}pplx-[A-Za-z0-9]{48}${E}`, "", varied),
  r("groq-key", ["gsk_"], String.raw`${B}gsk_[A-Za-z0-9]{52}${E}`, "", varied),
  r("xai-key", ["xai-"], String.raw`${B}xai-[A-Za-z0-9]{80}${E}`, "", varied),
  // Slack: bot, user, app-level, configuration, refresh, legacy tokens and webhooks
  r(
    "slack-token",
    ["xox"],
    [
      String.raw`${B}xoxb-\d{8,13}-\d{8,13}-?[A-Za-z0-9-]{0,60}`,
      // bot
      String.raw`${B}xoxb-\d{8,14}-[A-Za-z0-9]{18,26}${E}`,
      // legacy bot
      String.raw`${B}xox[pe](?:-\d{8,13}){3}-[A-Za-z0-9-]{28,34}`,
      // user, enterprise
      String.raw`${B}xox[os]-\d{1,20}-\d{1,20}-\d{1,20}-[a-fA-F0-9]{1,64}`,
      // legacy
      String.raw`${B}xox[ar]-(?:\d-)?[0-9A-Za-z]{8,48}(?:-[0-9A-Za-z]{1,48}){0,6}`,
      // legacy workspace
      String.raw`${B}xoxe\.xox[bp]-\d-[A-Za-z0-9]{163,166}`,
      // configuration
      String.raw`${B}xoxe-\d-[A-Za-z0-9]{146}`
      // refresh
    ].join("|"),
    "",
    { check: (s) => /\d/.test(s) && !/x{4}|X{4}/.test(s) }
  ),
  r("slack-app-token", ["xapp-"], String.raw`${B}xapp-\d-[A-Z0-9]{6,20}-\d{6,20}-[a-z0-9]{20,100}`, "i"),
  r(
    "slack-webhook",
    ["hooks.slack.com"],
    String.raw`(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,200}`,
    "",
    varied
  ),
  // Google: API keys, OAuth client secrets and refresh/access tokens
  r("google-api-key", ["aiza"], String.raw`${B}AIza[0-9A-Za-z_-]{35}${E}`, "", varied),
  r("google-oauth-secret", ["gocspx-"], String.raw`${B}GOCSPX-[A-Za-z0-9_-]{28}${E}`),
  r("google-oauth-token", ["ya29."], String.raw`${B}ya29\.[0-9A-Za-z_-]{30,400}`),
  // JSON Web Tokens (header.payload[.signature]), including Grafana's and Sentry's embedded ones
  r(
    "jwt",
    ["eyj"],
    String.raw`${B}eyJ[A-Za-z0-9_-]{10,4096}\.eyJ[A-Za-z0-9_/\\-]{10,8192}\.?(?:[A-Za-z0-9_/\\-]{10,4096}={0,2})?`
  ),
  // payment
  r("stripe-key", ["sk_", "rk_"], String.raw`${B}(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,255}${E}`, "", {
    check: (s) => variedEnough(s) && /\d/.test(s)
  }),
  // Plaid: access and public tokens are `<kind>-<environment>-<uuid>` (plaid.com/docs/api/tokens)
  r(
    "plaid-token",
    ["access-sandbox-", "access-development-", "access-production-", "public-sandbox-", "public-production-"],
    String.raw`${B}(?:access|public)-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}`,
    "i"
  ),
  r("stripe-webhook-secret", ["whsec_"], String.raw`${B}whsec_[A-Za-z0-9]{32,64}${E}`, "", varied),
  r(
    "square-token",
    ["sq0atp-", "sq0csp-", "eaaa"],
    String.raw`${B}(?:sq0atp-[A-Za-z0-9_-]{22,60}|sq0csp-[A-Za-z0-9_\\^\][-]{43,60}|EAAA[A-Za-z0-9_-]{60})`,
    "",
    varied
  ),
  r(
    "flutterwave-key",
    ["flwseck", "flwpubk"],
    String.raw`${B}FLW(?:SECK|PUBK)_TEST-[a-hA-H0-9]{12,32}(?:-X)?`,
    "",
    varied
  ),
  r("shippo-token", ["shippo_"], String.raw`${B}shippo_(?:live|test)_[a-fA-F0-9]{40}${E}`, "", varied),
  r("easypost-key", ["ezak", "eztk"], String.raw`${B}EZ[AT]K[A-Za-z0-9]{54}${E}`, "", varied),
  r("duffel-token", ["duffel_"], String.raw`${B}duffel_(?:test|live)_[A-Za-z0-9_=-]{43}`, "", varied),
  r("coinbase-key", ["organizations/"], String.raw`organizations/[0-9a-f-]{36}/apiKeys/[0-9a-f-]{36}`),
  // package registries
  r("npm-token", ["npm_"], String.raw`${B}npm_[A-Za-z0-9]{36}${E}`, "", varied),
  r("pypi-token", ["pypi-ageichlwas5vcmc"], String.raw`${B}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,400}`),
  r("rubygems-token", ["rubygems_"], String.raw`${B}rubygems_[a-f0-9]{48}${E}`, "", varied),
  r("clojars-token", ["clojars_"], String.raw`${B}CLOJARS_[A-Za-z0-9]{60}${E}`, "i", varied),
  r(
    "docker-token",
    ["dckr_pat_", "dckr_oat_"],
    String.raw`${B}dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,64}`,
    "",
    varied
  ),
  r("nuget-key", ["oy2"], String.raw`${B}oy2[a-z0-9]{43}${E}`, "", {
    check: (s) => variedEnough(s) && /\d/.test(s.slice(3))
  }),
  r("artifactory-key", ["akcp"], String.raw`${B}AKCp[A-Za-z0-9]{69}${E}`, "", varied),
  r("artifactory-token", ["cmvmd"], String.raw`${B}cmVmd[A-Za-z0-9]{59}${E}`, "", varied),
  // cloud and infrastructure
  // gitleaks' azure-ad-client-secret: the secret's own alphabet (`~`, `.`, `-`) may not continue it
  r("azure-ad-client-secret", ["q~"], String.raw`Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`, "", {
    lead: /(?<![A-Za-z0-9_~.])[A-Za-z0-9_~.]{3}\d$/
  }),
  r(
    "azure-storage-key",
    ["accountkey=", "sharedaccesskey="],
    String.raw`(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,88}={0,2})`,
    "i",
    { group: 1 }
  ),
  r(
    "azure-sas-token",
    ["sig="],
    String.raw`[?&]sv=\d{4}-\d{2}-\d{2}[^\s"']{0,300}?&sig=([A-Za-z0-9%+/]{30,100}(?:%3D|=){0,2})`,
    "i",
    {
      group: 1
    }
  ),
  r(
    "digitalocean-token",
    ["dop_v1_", "doo_v1_", "dor_v1_"],
    String.raw`${B}do[opr]_v1_[a-f0-9]{64}${E}`,
    "",
    varied
  ),
  r("databricks-token", ["dapi"], String.raw`${B}dapi[a-f0-9]{32}(?:-\d)?${E}`, "", varied),
  r("cloudflare-origin-ca-key", ["v1.0-"], String.raw`${B}v1\.0-[a-f0-9]{24}-[a-f0-9]{146}${E}`),
  r("alibaba-access-key", ["ltai"], String.raw`${B}LTAI[A-Za-z0-9]{20}${E}`, "", varied),
  r("hashicorp-terraform-token", [".atlasv1."], String.raw`\.atlasv1\.[A-Za-z0-9_=-]{60,70}${E}`, "", {
    lead: /(?<![A-Za-z0-9_])[A-Za-z0-9]{14}$/
  }),
  r("vault-token", ["hvs.", "hvb.", "hvr."], String.raw`${B}hv[sbr]\.[A-Za-z0-9_-]{24,300}${E}`, "", varied),
  r("vault-batch-token", ["b.aaaaaqj"], String.raw`${B}b\.AAAAAQ[A-Za-z0-9_-]{138,300}${E}`),
  r("heroku-key", ["hrku-"], String.raw`${B}HRKU-AA[A-Za-z0-9_-]{58}${E}`, "", varied),
  r(
    "flyio-token",
    ["fo1_", "fm1a_", "fm1r_", "fm2_"],
    String.raw`${B}(?:fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[${b64}]{100,4096}={0,3}|fm2_[${b64}]{100,4096}={0,3})`,
    "",
    varied
  ),
  r("pulumi-token", ["pul-"], String.raw`${B}pul-[a-f0-9]{40}${E}`, "", varied),
  r(
    "doppler-token",
    ["dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."],
    String.raw`${B}dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}${E}`,
    "i",
    varied
  ),
  r(
    "planetscale-token",
    ["pscale_"],
    String.raw`${B}pscale_(?:pw|tkn|oauth)_[A-Za-z0-9_.=-]{32,64}`,
    "",
    varied
  ),
  r("openshift-token", ["sha256~"], String.raw`${B}sha256~[A-Za-z0-9_-]{43}${E}`, "", varied),
  r("octopus-deploy-key", ["api-"], String.raw`${B}API-[A-Z0-9]{26}${E}`, "", {
    check: (s) => variedEnough(s) && /\d/.test(s.slice(4))
  }),
  r(
    "harness-token",
    ["pat.", "sat."],
    String.raw`${B}(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}${E}`,
    "",
    varied
  ),
  r("infracost-key", ["ico-"], String.raw`${B}(?<!\.)ico-[A-Za-z0-9]{32}${E}`, "", varied),
  r("prefect-token", ["pnu_"], String.raw`${B}pnu_[A-Za-z0-9]{36}${E}`, "", varied),
  r("scalingo-token", ["tk-us-"], String.raw`${B}tk-us-[A-Za-z0-9_-]{48}${E}`, "", varied),
  r("clickhouse-key", ["4b1d"], String.raw`${B}4b1d[A-Za-z0-9]{38}${E}`, "", {
    check: (s) => variedEnough(s) && /[A-Z]/.test(s) && /[a-z]/.test(s)
  }),
  r("dynatrace-token", ["dt0c01."], String.raw`${B}dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}${E}`, "", varied),
  r("grafana-key", ["eyjrijoi"], String.raw`${B}eyJrIjoi[A-Za-z0-9]{70,400}={0,3}`),
  r("grafana-cloud-token", ["glc_"], String.raw`${B}glc_[A-Za-z0-9+/]{32,400}={0,3}`, "", varied),
  r(
    "grafana-service-account-token",
    ["glsa_"],
    String.raw`${B}glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}${E}`,
    "",
    varied
  ),
  r(
    "sentry-token",
    ["sntrys_", "sntryu_"],
    String.raw`${B}(?:sntrys_eyJpYXQiO[A-Za-z0-9+/=]{50,400}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})${E}`,
    "",
    varied
  ),
  r(
    "sourcegraph-token",
    ["sgp_", "slk_"],
    String.raw`${B}(?:sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40}|slk_[a-fA-F0-9]{64})${E}`,
    "",
    varied
  ),
  r(
    "settlemint-token",
    ["sm_pat_", "sm_aat_", "sm_sat_"],
    String.raw`${B}sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}${E}`,
    "",
    varied
  ),
  r(
    "authress-key",
    [".acc_", ".acc-"],
    String.raw`${B}(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[A-Za-z0-9+/_=-]{30,120}`,
    "i"
  ),
  r("intra42-secret", ["s-s4t2"], String.raw`${B}s-s4t2(?:ud|af)-[a-f0-9]{64}${E}`),
  r("frameio-token", ["fio-u-"], String.raw`${B}fio-u-[A-Za-z0-9_=-]{64}`, "i"),
  r("linear-key", ["lin_api_"], String.raw`${B}lin_api_[A-Za-z0-9]{40}${E}`, "i", varied),
  r("notion-token", ["ntn_"], String.raw`${B}ntn_\d{11}[A-Za-z0-9]{35}${E}`, "", varied),
  r("postman-key", ["pmak-"], String.raw`${B}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${E}`, "i", varied),
  r("readme-key", ["rdme_"], String.raw`${B}rdme_[a-z0-9]{70}${E}`, "", varied),
  r("sendgrid-key", ["sg."], String.raw`${B}SG\.[A-Za-z0-9=_.-]{66}${E}`, "", varied),
  r(
    "sendinblue-key",
    ["xkeysib-", "xsmtpsib-"],
    String.raw`${B}x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}${E}`,
    "",
    varied
  ),
  r("mailgun-key", ["key-", "pubkey-"], String.raw`${B}(?:pub)?key-[a-f0-9]{32}${E}`, "", varied),
  r("mailchimp-key", ["-us"], String.raw`-us\d{1,2}${E}`, "", { lead: /(?<![A-Za-z0-9_])[a-f0-9]{32}$/ }),
  r(
    "shopify-token",
    ["shpat_", "shpca_", "shppa_", "shpss_"],
    String.raw`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`,
    "",
    varied
  ),
  r("twilio-key", ["sk"], String.raw`${B}SK[0-9a-fA-F]{32}${E}`, "", {
    check: (s) => variedEnough(s) && /[a-f]/i.test(s.slice(2)) && /\d/.test(s)
  }),
  r("maxmind-key", ["_mmk"], String.raw`_mmk${E}`, "", {
    lead: /(?<![A-Za-z0-9_])[A-Za-z0-9]{6}_[A-Za-z0-9]{29}$/
  }),
  r(
    "onepassword-secret-key",
    ["a3-"],
    String.raw`${B}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${E}`,
    "",
    varied
  ),
  r("onepassword-service-token", ["ops_eyj"], String.raw`${B}ops_eyJ[${b64}]{250,4096}={0,3}`),
  r("facebook-access-token", ["eaa"], String.raw`${B}EAA[MC][A-Za-z0-9]{100,600}${E}`, "", varied),
  r("adobe-client-secret", ["p8e-"], String.raw`${B}p8e-[A-Za-z0-9]{32}${E}`, "", varied),
  // the secret's alphabet includes `-`: a longer run is not this format
  r("telegram-bot-token", [], String.raw`:A[A-Za-z0-9_-]{32,34}(?![A-Za-z0-9_-])`, "", {
    lead: /(?<![A-Za-z0-9_])\d{5,16}$/
  }),
  r(
    "discord-webhook",
    ["discord.com/api/webhooks", "discordapp.com/api/webhooks"],
    String.raw`(?:https?://)?discord(?:app)?\.com/api/webhooks/\d{5,30}/[A-Za-z0-9_-]{60,80}`
  ),
  r("atlassian-token", ["atatt3"], String.raw`${B}ATATT3[A-Za-z0-9_=-]{186,200}`),
  r(
    "newrelic-key",
    ["nrak-", "nrii-", "nrjs-"],
    String.raw`${B}NR(?:AK|II|JS)-[A-Za-z0-9]{19,42}${E}`,
    "i",
    varied
  ),
  r(
    "yandex-token",
    ["t1.", "y0_", "aqvn"],
    String.raw`${B}(?:t1\.[A-Z0-9a-z_-]+[=]{0,2}\.[A-Z0-9a-z_-]{86}[=]{0,2}|y[0-3]_[A-Za-z0-9_-]{55}|AQVN[A-Za-z0-9_-]{35,38}|YC[A-Za-z0-9_-]{38})`,
    "",
    varied
  ),
  r("twitter-bearer-token", ["aaaaaaaaaaaaaaaaaaaaa"], String.raw`${B}A{22}[A-Za-z0-9%]{80,100}`, "", {
    check: (t) => variedEnough(t.slice(22))
  }),
  r("lob-key", ["live_", "test_"], String.raw`${B}(?:live|test)_(?:pub_)?[a-f0-9]{31,35}${E}`, "", varied),
  r(
    "huggingface-token",
    ["hf_", "api_org_"],
    String.raw`${B}(?:hf_[A-Za-z]{34}|api_org_[A-Za-z]{34})${E}`,
    "",
    {
      check: (s) => variedEnough(s) && /[A-Z]/.test(s.slice(3)) && /[a-z]/.test(s.slice(3))
    }
  ),
  // more providers' documented prefixes: AI platforms, developer tools, hosting, payment, messaging
  r("sonarqube-token", ["squ_", "sqp_", "sqa_"], String.raw`${B}sq[upa]_[a-f0-9]{40}${E}`),
  r("openrouter-key", ["sk-or-v1-"], String.raw`${B}sk-or-v1-[a-f0-9]{64}${E}`),
  r("langsmith-key", ["lsv2_"], String.raw`${B}lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}${E}`),
  r("replicate-token", ["r8_"], String.raw`${B}r8_[A-Za-z0-9]{37}${E}`),
  r("tavily-key", ["tvly-"], String.raw`${B}tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}${E}`),
  r("firecrawl-key", ["fc-"], String.raw`${B}fc-[a-f0-9]{32}${E}`),
  r("e2b-key", ["e2b_"], String.raw`${B}e2b_[a-f0-9]{40}${E}`),
  r("pinecone-key", ["pcsk_"], String.raw`${B}pcsk_[A-Za-z0-9]{4,10}_[A-Za-z0-9]{50,80}${E}`),
  r("fireworks-key", ["fw_"], String.raw`${B}fw_[A-Za-z0-9]{24}${E}`),
  r("elevenlabs-key", ["sk_"], String.raw`${B}sk_[a-f0-9]{48}${E}`),
  r("deepl-key", [":fx"], String.raw`:fx${E}`, "", {
    lead: /(?<![A-Za-z0-9_-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  }),
  r(
    "supabase-token",
    ["sbp_", "sb_secret_"],
    String.raw`${B}(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{31,40})${E}`
  ),
  r("neon-key", ["napi_"], String.raw`${B}napi_[a-z0-9]{64}${E}`),
  r("render-key", ["rnd_"], String.raw`${B}rnd_[A-Za-z0-9]{32}${E}`),
  r("netlify-token", ["nfp_"], String.raw`${B}nfp_[A-Za-z0-9]{36}${E}`),
  r(
    "vercel-blob-token",
    ["vercel_blob_rw_"],
    String.raw`${B}vercel_blob_rw_[A-Za-z0-9]{16}_[A-Za-z0-9]{30}${E}`
  ),
  r(
    "tailscale-key",
    ["tskey-"],
    String.raw`${B}tskey-(?:auth|api|client|webhook|scim)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64}${E}`
  ),
  r("infisical-token", ["st."], String.raw`${B}st\.[a-f0-9-]{36}\.[a-f0-9]{32}\.[a-f0-9]{32}${E}`),
  r("figma-token", ["figd_"], String.raw`${B}figd_[A-Za-z0-9_-]{40}${E}`),
  r("airtable-pat", ["pat"], String.raw`${B}pat[A-Za-z0-9]{14}\.[a-f0-9]{64}${E}`),
  r("contentful-token", ["cfpat-"], String.raw`${B}CFPAT-[A-Za-z0-9_-]{43}${E}`),
  r("typeform-token", ["tfp_"], String.raw`${B}tfp_[A-Za-z0-9_-]{44}(?:_[A-Za-z0-9]{14})?${E}`),
  r("buildkite-token", ["bkua_"], String.raw`${B}bkua_[a-f0-9]{40}${E}`),
  r("circleci-token", ["ccipat_"], String.raw`${B}CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}${E}`),
  r("bitbucket-app-password", ["atbb"], String.raw`${B}ATBB[A-Za-z0-9_=.-]{32}${E}`),
  r("posthog-personal-key", ["phx_"], String.raw`${B}phx_[A-Za-z0-9]{43}${E}`),
  r(
    "launchdarkly-key",
    ["api-", "sdk-"],
    String.raw`${B}(?:api|sdk)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}`
  ),
  r("pubnub-secret-key", ["sec-c-"], String.raw`${B}sec-c-[A-Za-z0-9]{40,60}${E}`),
  r(
    "telnyx-key",
    [
      "key0",
      "key1",
      "key2",
      "key3",
      "key4",
      "key5",
      "key6",
      "key7",
      "key8",
      "key9",
      "keya",
      "keyb",
      "keyc",
      "keyd",
      "keye",
      "keyf"
    ],
    String.raw`${B}KEY[0-9A-F]{32}_[A-Za-z0-9]{22}${E}`
  ),
  r("woocommerce-key", ["ck_", "cs_"], String.raw`${B}c[ks]_[a-f0-9]{40}${E}`),
  r(
    "braintree-token",
    ["access_token$"],
    String.raw`access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}`
  ),
  r("razorpay-key", ["rzp_"], String.raw`${B}rzp_(?:live|test)_[A-Za-z0-9]{14}${E}`),
  r("clickup-token", ["pk_"], String.raw`${B}pk_\d{6,10}_[A-Z0-9]{32}${E}`),
  r("klaviyo-key", ["pk_"], String.raw`${B}pk_[a-f0-9]{34}${E}`),
  r("resend-key", ["re_"], String.raw`${B}re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}${E}`),
  r("browserbase-key", ["bb_live_"], String.raw`${B}bb_live_[A-Za-z0-9_-]{27}${E}`),
  r("mapbox-secret-token", ["sk.eyj"], String.raw`${B}sk\.eyJ[A-Za-z0-9_-]{50,400}\.[A-Za-z0-9_-]{20,100}`),
  r("asana-token", [], String.raw`:[a-f0-9]{32}${E}`, "", {
    lead: /(?<![A-Za-z0-9_/])[0-9]\/\d{10,20}\/\d{10,20}$/
  }),
  r("tencent-secret-id", ["akid"], String.raw`${B}AKID[A-Za-z0-9]{32}${E}`),
  // keyword-anchored formats a provider documents (the value alone could be anything)
  r(
    "sidekiq-credentials",
    ["contribsys"],
    String.raw`BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?[ \t]{0,4}[:=][ \t]{0,4}["']?([a-f0-9]{8}:[a-f0-9]{8})`,
    "i",
    { group: 1, check: () => true }
  ),
  r(
    "sidekiq-credentials",
    ["contribsys.com"],
    String.raw`https?://([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com`,
    "i",
    {
      group: 1,
      check: () => true
    }
  ),
  // Cloudflare's Global API Key (37 hex) and API tokens (40 of [A-Za-z0-9_-]) carry no prefix: the
  // provider's name as the key decides (gitleaks' cloudflare-global-api-key and cloudflare-api-key)
  r(
    "cloudflare-api-key",
    ["cloudflare"],
    String.raw`cloudflare[\w.-]{0,30}["']?[ \t]{0,4}(?:[:=]|:=|=>)[ \t]{0,4}["'\x60]?([a-f0-9]{37}|[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])`,
    "i",
    { group: 1 }
  ),
  r(
    "sumologic-access-id",
    ["sumo"],
    String.raw`(?<![A-Za-z])(?:sumo|Sumo|SUMO)(?:logic|Logic|LOGIC)?(?![a-z])[\w.-]{0,40}["']?[ \t]{0,4}(?:[:=]|:=)[ \t]{0,4}["']?(su[A-Za-z0-9]{12})${E}`,
    "",
    { group: 1 }
  )
];
var ALL_HINTS = [...new Set(TOKEN_RULES.flatMap((rule) => rule.hints))];

// src/model/redact.ts
var mark = (kind) => `[REDACTED:${kind}]`;
function shannonEntropy(s) {
  const counts = /* @__PURE__ */ new Map();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}
var escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
var hintScan = null;
function hintScanner() {
  hintScan ??= {
    re: new RegExp(
      [...ALL_HINTS].sort((a, b) => b.length - a.length).map(escapeRe).join("|"),
      "gi"
    ),
    // a hint found also stands for every shorter hint inside it (a scan reports one hint a position)
    within: new Map(ALL_HINTS.map((h) => [h, ALL_HINTS.filter((o) => h.includes(o))]))
  };
  return hintScan;
}
var SHORT_TEXT = 16 * 1024;
function wordSet(words, caseless = false) {
  const set = new Set(caseless ? words.map((w) => w.toLowerCase()) : words);
  return { test: (w) => set.has(caseless ? w.toLowerCase() : w) };
}
var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
var PLACEHOLDER_WORDS = wordSet(
  [
    "true",
    "false",
    "null",
    "nil",
    "none",
    "undefined",
    "empty",
    "required",
    "optional",
    "string",
    "str",
    "number",
    "int",
    "integer",
    "boolean",
    "bool",
    "object",
    "any",
    "unknown",
    "redacted",
    "hidden",
    "masked",
    "secret",
    "secrets",
    "password",
    "passwd",
    "pass",
    "token",
    "key",
    "apikey",
    "api_key",
    "changeme",
    "change_me",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "todo",
    "tbd",
    "n/a",
    "na",
    "bearer",
    "basic",
    "value",
    "default",
    "test",
    "testing"
  ],
  true
);
function isPlaceholder(value) {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/\[redacted|\.\.|^\{/i.test(v)) return true;
  if (/^\$[{(]?[A-Za-z_][\w.]*[})]?$/.test(v) || /\$\{|\$\(|\{\{|\}\}|<%|%>/.test(v)) return true;
  if (/^%[A-Za-z_]\w*%$/.test(v) || /^<[^<>]{1,200}>$/.test(v) || /^\[[^\]]{1,200}\]$/.test(v)) return true;
  if (/^(?:process\.env|os\.environ|os\.getenv|env\.|ENV\[|getenv|secrets\.|vars\.|import\.meta)/i.test(v))
    return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (/^(?:your|my|insert|replace|enter|put|add|paste)[_\-\s.]?[a-z]/i.test(v) && /[_-]|[a-z][A-Z]/.test(v))
    return true;
  if (/^(?:[xX*#.•_-]){4,}$/.test(v) || /(?:x{5,}|X{5,}|\*{3,}|\.{3,})/.test(v)) return true;
  if (/(.)\1{7}/.test(v)) return true;
  if (/EXAMPLE(?:KEY)?$/.test(v)) return true;
  return false;
}
function hasSequentialRun(v, len) {
  let run = 1;
  for (let i = 1; i < v.length; i++) {
    run = v.charCodeAt(i) === v.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= len) return true;
  }
  return false;
}
function knownNonSecretFormat(t) {
  if (/^(?:sha(?:1|224|256|384|512)|md5)[-:]/i.test(t)) return true;
  if (UUID.test(t)) return true;
  if (/^rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
    t
  ))
    return true;
  if ((/^[0-9a-f]+$/.test(t) || /^[0-9A-F]+$/.test(t)) && /^(?:[0-9a-f]{7,12}|[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i.test(
    t
  ))
    return true;
  if (/^(?:toolu|msg|req|srvtoolu|call|chatcmpl|run|file|asst|thread|resp|batch|evt|cus|sub|price|prod|ch|pi|in|txn|po|acct)_[A-Za-z0-9]{8,}$/.test(
    t
  ))
    return true;
  return false;
}
var KNOWN_PREFIXES = ALL_HINTS.filter((h) => h.length >= 4 && /^[a-z]/.test(h));
var knownPrefix = (t) => {
  const lower = t.slice(0, 24).toLowerCase();
  return KNOWN_PREFIXES.some((p) => lower.startsWith(p));
};
function caseBalanced(t) {
  let up = 0;
  let lo = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) up++;
    else if (c >= 97 && c <= 122) lo++;
  }
  const n = up + lo;
  return Math.min(up, lo) >= n / 2 - 1.75 * Math.sqrt(n);
}
function identifierLike(v) {
  const humps = v.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g);
  if (!humps || humps.length < 2) return false;
  for (const h of humps) if (h.length < 3 && !/^[A-Z]{2}$/.test(h)) return false;
  return true;
}
function looksRandom(t, minLength = 20) {
  if (t.length < minLength) return false;
  if (knownNonSecretFormat(t)) return false;
  const lower = /[a-z]/.test(t);
  const upper = /[A-Z]/.test(t);
  const digits = t.replace(/[^0-9]/g, "").length;
  if (!(lower && upper && digits >= 2)) return false;
  if (!caseBalanced(t) || identifierLike(t)) return false;
  const wordy = (t.match(/[a-z]{5,}/g) ?? []).reduce((n, w) => n + w.length, 0);
  if (wordy / t.length > 0.4) return false;
  if (/^[A-Za-z]+(?:[-_][A-Za-z0-9]+)+$/.test(t) && !/\d{2}/.test(t)) return false;
  if (hasSequentialRun(t, 6) || isPlaceholder(t) || namedParts(t)) return false;
  if (knownPrefix(t)) return false;
  const threshold = Math.min(4, Math.log2(t.length) - 0.6);
  return shannonEntropy(t) >= threshold && !containsStopword(t);
}
var NOT_SECRET_LAST = wordSet([
  "tokens",
  "keys",
  "secrets",
  "passwords",
  "count",
  "counts",
  "length",
  "len",
  "size",
  "type",
  "types",
  "kind",
  "name",
  "names",
  "file",
  "files",
  "path",
  "paths",
  "dir",
  "url",
  "uri",
  "urls",
  "endpoint",
  "host",
  "header",
  "headers",
  "field",
  "fields",
  "prefix",
  "suffix",
  "format",
  "limit",
  "limits",
  "max",
  "min",
  "timeout",
  "ttl",
  "expiry",
  "expires",
  "expiration",
  "at",
  "time",
  "env",
  "var",
  "ref",
  "policy",
  "mode",
  "version",
  "regex",
  "pattern",
  "label",
  "description",
  "placeholder",
  "hint",
  "event",
  "events",
  "index",
  "required",
  "enabled",
  "disabled",
  "provider",
  "manager",
  "store",
  "vault",
  "selector",
  "down",
  "up",
  "press",
  "source",
  "location",
  "usage",
  "budget",
  "cost",
  "rate",
  "window",
  "estimate",
  "ratio",
  "bytes",
  "bits",
  "chars",
  "location",
  "exists",
  "present",
  "set",
  "valid",
  "status",
  "error",
  "errors",
  "message",
  "length",
  "mask",
  "strategy",
  "method",
  "scheme",
  "style",
  "class",
  "config",
  "option",
  "options",
  "param",
  "params",
  "schema",
  "spec",
  "list",
  "map",
  "id",
  "ids",
  "input",
  "button",
  "link",
  "form",
  "page",
  "view",
  "table",
  "column",
  "sequence",
  "frame",
  "distance",
  "path",
  "loader",
  "parser",
  "reader",
  "writer",
  "handler",
  "hash",
  // a signature is bound to the one payload it signs, an identity names who: both are public
  "signature",
  "identity",
  "algorithm",
  "alg",
  "helper",
  "util",
  "utils",
  "test",
  "tests",
  "spec",
  "mock",
  "fn",
  "callback",
  "cb"
]);
var NUMERIC_WORD = wordSet([
  "max",
  "min",
  "num",
  "total",
  "count",
  "every",
  "per",
  "avg",
  "limit",
  "estimated",
  "remaining",
  "used"
]);
var STRONG_WORD = /(?:password|passwd|passphrase|pwd|secret|token|apikey|credential|credentials|creds|privatekey|accesskey|secretkey|authkey|clientkey|signingkey|masterkey|encryptionkey)$/;
var STRONG_EXACT = wordSet([
  "pass",
  "pw",
  "auth",
  "authorization",
  "pat",
  "jwt",
  "dsn",
  "bearer",
  "sas",
  "psk",
  "otp",
  "totp",
  "cookie"
]);
var NOT_SECRET_WORD = wordSet([
  "public",
  "pub",
  "publishable",
  "csrf",
  "xsrf",
  "authenticity",
  "nonce",
  "foreign",
  "sort",
  "partition",
  "cache",
  "primary"
]);
var KEY_MODIFIER = wordSet([
  "api",
  "access",
  "secret",
  "private",
  "auth",
  "client",
  "app",
  "master",
  "encryption",
  "signing",
  "license",
  "service",
  "storage",
  "shared",
  "session",
  "consumer",
  "account",
  "admin",
  "deploy",
  "ssh",
  "gpg",
  "pgp",
  "hmac",
  "webhook",
  "bot",
  "user",
  "integration",
  "server",
  "write",
  "read",
  "root",
  "global",
  "live",
  "prod",
  "production",
  "management",
  "subscription",
  "secondary"
]);
var ID_MODIFIER = wordSet(["access", "client", "app", "api", "account", "tenant", "consumer", "key"]);
function keyWords(key) {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}
var strengthCache = /* @__PURE__ */ new Map();
function keyStrength(key) {
  let s = strengthCache.get(key);
  if (s === void 0) {
    s = judgeKey(key);
    if (strengthCache.size < 1e4) strengthCache.set(key, s);
  }
  return s;
}
function judgeKey(key) {
  const words = keyWords(key);
  if (!words.length) return null;
  const last = words[words.length - 1];
  if (words.some((w) => NUMERIC_WORD.test(w) || NOT_SECRET_WORD.test(w))) return null;
  if (last === "id" || last === "ids") {
    return words.length >= 2 && ID_MODIFIER.test(words[words.length - 2]) ? "medium" : null;
  }
  if (NOT_SECRET_LAST.test(last)) return null;
  let medium = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (STRONG_EXACT.test(w) || STRONG_WORD.test(w)) return "strong";
    if (w === "key" || w.endsWith("key")) {
      if (i > 0 && KEY_MODIFIER.test(words[i - 1])) return "strong";
      if (i > 0 && /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_KEY$/.test(key)) return "strong";
      if (w === "key" || w === "apikey") medium = true;
    }
  }
  return medium ? "medium" : null;
}
function namedParts(v) {
  const parts = v.split(/[-_.]/);
  if (parts.length < 2) return false;
  if (parts.some((p) => p.length > 12)) return false;
  return parts.filter((p) => /[A-Za-z]/.test(p) && /\d/.test(p)).length <= 1 && parts.length >= 3 ? true : parts.every((p) => /^[A-Za-z]+$/.test(p) || /^\d{1,4}$/.test(p));
}
var PROVIDER_FORMATS = [
  [/telegram/i, /^\d{5,16}:A[\w-]{34}$/],
  // Okta's API tokens: `00` and 40 characters (developer.okta.com, "Create an API token")
  [/okta/i, /^00[\w=-]{40}$/],
  // Cisco Meraki's API keys: 40 lower-case hex characters (gitleaks' cisco-meraki-api-key)
  [/meraki/i, /^[0-9a-f]{40}$/]
];
function isSecretValue(raw, strength, quoted, key) {
  if (!strength) return false;
  const v = raw.trim();
  if (isPlaceholder(v)) return false;
  for (const [k, format] of PROVIDER_FORMATS)
    if (k.test(key)) return format.test(v) && !hasSequentialRun(v, 6);
  if (/\s/.test(v)) return false;
  if (/^[-+]?[\d.,_:]+$/.test(v) && !(strength === "strong" && quoted && /^\d{16,64}$/.test(v))) return false;
  if (/^(?:https?|file|ftp):\/\//i.test(v)) return false;
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return false;
  if (/^[\w.-]+\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|txt|ya?ml|env|js|ts|py|rb|go|sh|conf|cfg|ini|toml|xml|asc|gpg|pub)$/i.test(
    v
  ))
    return false;
  if (/[()]/.test(v) && /^[\w$.]+\(/.test(v)) return false;
  if (/^[A-Za-z_$][\w$]{0,30}(?:\??\.[A-Za-z_$][\w$]{0,30})+$/.test(v)) return false;
  if (!quoted && !/pass|pwd|pw$|^pw/i.test(key) && (/^(?:[([]|!!?[A-Za-z_$])/.test(v) || identifierLike(v)))
    return false;
  if (/^[A-Za-z_$][\w$]*\[/.test(v)) return false;
  if (/^(?:sha(?:1|256|384|512)-|md5-)[A-Za-z0-9+/=]{20,}$/.test(v)) return false;
  if (/^[A-Z][A-Z0-9_]{2,}$/.test(v) && /_/.test(v) && !/\d/.test(v)) return false;
  const password = /pass|pwd|pw$|^pw/i.test(key);
  if (strength === "strong" && UUID.test(v)) return true;
  if (!password && containsStopword(v)) return false;
  if (strength === "strong" && quoted && /^\d{16,64}$/.test(v) && /(?:token|secret|key|password)$/i.test(key))
    return true;
  if (hasSequentialRun(v, 8)) return false;
  const letters = /^[A-Za-z]+$/.test(v);
  if (password) {
    if (v.length < 6) return false;
    if (quoted) return !(letters && /^[a-z]+$/.test(v) && v.length < 8);
    return !letters || /[a-z]/.test(v) && /[A-Z]/.test(v);
  }
  if (strength === "strong") {
    if (v.length < 10) return false;
    if (letters) return /[a-z]/.test(v) && /[A-Z]/.test(v) && v.length >= 20 && shannonEntropy(v) >= 3.8;
    if (!/[A-Za-z]/.test(v)) return false;
    if (namedParts(v)) return false;
    return shannonEntropy(v) >= (v.length < 16 ? 2.6 : 3);
  }
  if (v.length < 12 || UUID.test(v)) return false;
  if (!/[A-Za-z]/.test(v) || !/\d/.test(v)) return false;
  if (/^[0-9a-f]+$/i.test(v) && v.length < 32) return false;
  if ((v.match(/[a-z]{5,}/g) ?? []).join("").length / v.length > 0.4) return false;
  if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || namedParts(v) || /^[A-Za-z]+(?:[-_.][A-Za-z0-9]+)+$/.test(v))
    return false;
  return shannonEntropy(v) >= 3.3;
}
var KEY_WORD = /pass|pwd|pw|secret|token|key|auth|cred|sig|sas|pat|jwt|dsn|cookie|bearer|otp|id\b|_id|Id\b/gi;
var KEY_CHAR = /[A-Za-z0-9_.$@-]/;
var AFTER_KEY = new RegExp(
  String.raw`(?:\\?["'\x60])?\]?(?:\\?["'\x60])?` + // closing quote / bracket of the key
  String.raw`(?:[ \t]{0,4}:[ \t]{0,4}[A-Za-z][\w.<>[\]?|]{0,30}(?=[ \t]{0,4}=)|[ \t]{1,4}[A-Za-z][\w<>[\]]{0,30}(?=[ \t]{0,4}=[^=>]))?` + // a type
  String.raw`([ \t]{0,8}(?:=>|:{1,3}=|\?=|\+=|\|\|=|!==?|===?|=|:|,|->)[ \t]{0,8}|[ \t]{1,4}(?=\\?["'\x60]))` + // separator
  String.raw`(?:\\?"((?:[^"\\\n]|\\[^"\n]){1,2048})\\?"|\\?'([^'\n]{1,2048})'|\x60([^\x60\n]{1,2048})\x60|([^\s"'\x60,;)}\]<>&|]{1,2048}))`,
  "y"
);
var AFTER_FLAG = /[ \t]{1,4}([^\s"'`|;&<>-][^\s"'`|;&<>]{0,2047})/y;
var AFTER_XML_KEY_ATTR = /\\?["']\s{1,8}value\s{0,4}=\s{0,4}\\?["']([^"'\n]{1,2048})\\?["']/y;
function scanAssignments(text, out, cleared) {
  KEY_WORD.lastIndex = 0;
  let from = 0;
  for (let m = KEY_WORD.exec(text); m; m = KEY_WORD.exec(text)) {
    let ks = m.index;
    let ke = m.index + m[0].length;
    if (ks < from) continue;
    while (ks > 0 && ke - ks < 120 && KEY_CHAR.test(text[ks - 1])) ks--;
    while (ke < text.length && ke - ks < 120 && KEY_CHAR.test(text[ke])) ke++;
    KEY_WORD.lastIndex = ke;
    from = ke;
    let key = text.slice(ks, ke);
    const flag = key.startsWith("-");
    key = key.replace(/^[-$@.]+|[.$@-]+$/g, "");
    if (!key) continue;
    const strength = keyStrength(key);
    if (!strength) continue;
    if (text[ks - 1] === "<" && text[ke] === ">") {
      const close = text.indexOf(`</${text.slice(ks, ke)}>`, ke);
      if (close > 0 && close - ke < 4096) {
        const inner = text.slice(ke + 1, close);
        const v = inner.trim();
        if (isSecretValue(v, strength, true, key)) {
          const s = ke + 1 + inner.indexOf(v);
          out.push({ kind: "secret-assignment", start: s, end: s + v.length });
        }
        continue;
      }
    }
    if (/key\s{0,4}=\s{0,4}\\?["']$/i.test(text.slice(Math.max(0, ks - 12), ks))) {
      AFTER_XML_KEY_ATTR.lastIndex = ke;
      const a2 = AFTER_XML_KEY_ATTR.exec(text);
      if (a2 && isSecretValue(a2[1], strength, true, key)) {
        const s = AFTER_XML_KEY_ATTR.lastIndex - a2[1].length - (a2[0].endsWith('"') || a2[0].endsWith("'") ? 1 : 0);
        const start = text.lastIndexOf(a2[1], AFTER_XML_KEY_ATTR.lastIndex);
        out.push({
          kind: "secret-assignment",
          start: start >= 0 ? start : s,
          end: (start >= 0 ? start : s) + a2[1].length
        });
        from = AFTER_XML_KEY_ATTR.lastIndex;
        KEY_WORD.lastIndex = from;
        continue;
      }
    }
    AFTER_KEY.lastIndex = ke;
    const a = AFTER_KEY.exec(text);
    if (a) {
      const value = a[2] ?? a[3] ?? a[4] ?? a[5] ?? "";
      const quoted = a[5] === void 0;
      if (a[1].trim() === "," && !quoted) continue;
      if (a[1].trim() === "" && (a[4] !== void 0 || keyWords(key).length < 2 && !/^[A-Z][A-Z0-9_]*$/.test(key)))
        continue;
      if (!quoted && /^[A-Z][A-Za-z0-9_$]*$/.test(value) && /[(,{;][ \t\r\n]*$/.test(text.slice(Math.max(0, ks - 40), ks)) && /^[ \t]*(?:[,;)=|&>[]|$)/m.test(text.slice(AFTER_KEY.lastIndex, AFTER_KEY.lastIndex + 8)))
        continue;
      if (!isSecretValue(value, strength, quoted, key)) {
        if (PROVIDER_FORMATS.some(([k]) => k.test(key))) {
          const end = AFTER_KEY.lastIndex - (quoted ? 1 : 0);
          cleared.push([end - value.length, end]);
        }
      } else {
        const end = AFTER_KEY.lastIndex - (quoted ? a[0].endsWith('\\"') ? 2 : 1 : 0);
        const trimmed = value.replace(/\\$/, "");
        out.push({
          kind: "secret-assignment",
          start: end - value.length,
          end: end - value.length + trimmed.length
        });
        from = AFTER_KEY.lastIndex;
        KEY_WORD.lastIndex = from;
      }
      continue;
    }
    if (flag) {
      AFTER_FLAG.lastIndex = ke;
      const f = AFTER_FLAG.exec(text);
      if (f && isSecretValue(f[1], strength, false, key)) {
        out.push({
          kind: "secret-assignment",
          start: AFTER_FLAG.lastIndex - f[1].length,
          end: AFTER_FLAG.lastIndex
        });
        from = AFTER_FLAG.lastIndex;
        KEY_WORD.lastIndex = from;
      }
    }
  }
}
var AUTH_HEADER = /\b(?:proxy-)?authorization\\?["']?\s{0,4}[:=,]\s{0,4}\\?["'\x60]?\s{0,4}(?:bearer|basic|token|digest|bot|sso-key|apikey|key)\s{1,4}([A-Za-z0-9._~+/=:-]{6,4096})/gi;
var URL_CREDENTIALS = /:\/\/([^\s:/@"'`<>]{0,200}):([^\s@/"'`<>]{1,400})@(?=[A-Za-z0-9[])/g;
var CURL_USER = /(?:^|\s)(?:-u|--user)[ \t=]{1,4}["']?([^\s"':]{0,200}):([^\s"']{0,400})["']?/g;
function scanCredentials(text, lower, out) {
  if (lower.includes("authorization")) {
    AUTH_HEADER.lastIndex = 0;
    for (let m = AUTH_HEADER.exec(text); m; m = AUTH_HEADER.exec(text)) {
      const v = m[1];
      if (isPlaceholder(v) || /^\.+$/.test(v)) continue;
      out.push({ kind: "auth-header", start: m.index + m[0].length - v.length, end: m.index + m[0].length });
    }
  }
  if (text.includes("://")) {
    URL_CREDENTIALS.lastIndex = 0;
    for (let m = URL_CREDENTIALS.exec(text); m; m = URL_CREDENTIALS.exec(text)) {
      const pw = m[2];
      if (isPlaceholder(pw) || /^(?:pass|password|pwd|secret)$/i.test(pw) || /^\$/.test(pw)) continue;
      const end = m.index + m[0].length - 1;
      out.push({ kind: "url-password", start: end - pw.length, end });
    }
  }
  if (lower.includes("-u") || lower.includes("--user")) {
    CURL_USER.lastIndex = 0;
    for (let m = CURL_USER.exec(text); m; m = CURL_USER.exec(text)) {
      const [, user, pw] = m;
      const end = m.index + m[0].length - (/["']$/.test(m[0]) ? 1 : 0);
      if (user.startsWith("<") || pw.endsWith(">")) continue;
      if (pw && !isPlaceholder(pw) && !/^\$/.test(pw) && pw !== user)
        out.push({ kind: "basic-auth", start: end - pw.length, end });
      else if (!pw && user.length >= 8 && !isPlaceholder(user) && /\d/.test(user) && /[A-Za-z]/.test(user))
        out.push({ kind: "basic-auth", start: end - 1 - user.length, end: end - 1 });
    }
  }
}
var K8S_SECRET = /^[ \t]*kind:[ \t]*["']?Secret["']?[ \t]*$/im;
var K8S_DATA_VALUE = /^([ \t]*[\w.-]{1,253}:[ \t]{1,8}["']?)([A-Za-z0-9+/]{4,65536}={0,2})(?=["']?[ \t]*(?:$|[,}\]]))/gm;
function scanKubernetesSecret(text, out) {
  if (!K8S_SECRET.test(text) || !/^[ \t]*(?:data|stringData):/m.test(text)) return;
  K8S_DATA_VALUE.lastIndex = 0;
  for (let m = K8S_DATA_VALUE.exec(text); m; m = K8S_DATA_VALUE.exec(text)) {
    const v = m[2];
    if (v.length % 4 !== 0 || v.length < 12 || /^[a-z]+$/i.test(v) || /^\d+$/.test(v)) continue;
    out.push({
      kind: "kubernetes-secret",
      start: m.index + m[1].length,
      end: m.index + m[1].length + v.length
    });
  }
}
var TOKEN_RUN = /[A-Za-z0-9+/_.~-]{20,}={0,2}/g;
function inUrl(text, at) {
  const from = Math.max(0, at - 300);
  const before = text.slice(from, at);
  const ws = Math.max(
    before.lastIndexOf(" "),
    before.lastIndexOf("\n"),
    before.lastIndexOf('"'),
    before.lastIndexOf("'")
  );
  return /:\/\/[^\s]*[/?=]$/.test(before.slice(ws + 1)) || /:\/\/[^\s]*\/[^\s]*$/.test(before.slice(ws + 1));
}
var NAMED_BY_KEY = /([A-Za-z_$][\w$.-]{0,80})\\?["']?(?:[ \t]{0,4}[:=]|\\?["']?[ \t]{1,4}value[ \t]{0,4}=)[ \t]{0,4}\\?["']?[^\s"'<>=:;&|\\]{0,200}$/;
function namedByKey(text, at) {
  const m = NAMED_BY_KEY.exec(text.slice(Math.max(0, at - 300), at));
  if (!m) return false;
  const words = keyWords(m[1]);
  const last = words[words.length - 1] ?? "";
  return NOT_SECRET_LAST.test(last) || words.some((w) => NUMERIC_WORD.test(w) || NOT_SECRET_WORD.test(w));
}
var TAIL_RUN = /[A-Za-z0-9_+/=.~-]{8,}$/;
function scanCutToken(text, out) {
  const m = TAIL_RUN.exec(text.slice(-600));
  if (!m) return;
  const start = text.length - m[0].length;
  if (out.some((f) => f.end > start)) return;
  const lower = m[0].toLowerCase();
  const prefix = KNOWN_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix && m[0].length >= prefix.length + 4 && variedEnough(m[0]) && !isPlaceholder(m[0]))
    out.push({ kind: "truncated-token", start, end: text.length });
}
var PUBLIC_BLOCK = /-----BEGIN ((?:PGP )?PUBLIC KEY(?: BLOCK)?|CERTIFICATE|CERTIFICATE REQUEST|PGP SIGNATURE|PGP MESSAGE|AGE ENCRYPTED FILE|SSH2 PUBLIC KEY)-----[\s\S]{0,200000}?-----END \1-----/g;
var SOPS_VALUE = /ENC\[(?:AES256_GCM|PGP|KMS|AGE),data:[A-Za-z0-9+/=]{0,100000},iv:[A-Za-z0-9+/=]{0,200},tag:[A-Za-z0-9+/=]{0,200},type:[a-z]{1,10}\]/g;
function runExcused(text, at, run) {
  if (/^[ \t]*;/.test(text.slice(at + run.length, at + run.length + 8)) && /(?:^|[\s;{(])[A-Za-z_$][\w$.]{0,80}[ \t]+=[ \t]+$/.test(text.slice(Math.max(0, at - 100), at)))
    return true;
  if (/^[_.-]/.test(run) && /[A-Za-z0-9+/]={1,2}$/.test(text.slice(Math.max(0, at - 3), at))) {
    let w = at;
    while (w > 0 && at - w < 8192 && /[A-Za-z0-9+/_.~=-]/.test(text[w - 1])) w--;
    if (knownPrefix(text.slice(w, at))) return true;
  }
  return false;
}
function scanEntropy(text, out, cleared) {
  const publicBlocks = [...cleared];
  if (text.includes("-----BEGIN ")) {
    PUBLIC_BLOCK.lastIndex = 0;
    for (let m = PUBLIC_BLOCK.exec(text); m; m = PUBLIC_BLOCK.exec(text))
      publicBlocks.push([m.index, m.index + m[0].length]);
  }
  if (text.includes("ENC[")) {
    SOPS_VALUE.lastIndex = 0;
    for (let m = SOPS_VALUE.exec(text); m; m = SOPS_VALUE.exec(text))
      publicBlocks.push([m.index, m.index + m[0].length]);
  }
  let dataEnd = -1;
  const inDataUri = (at) => {
    let w = at;
    while (w > 0 && /[A-Za-z0-9+/=%_.~-]/.test(text[w - 1])) {
      w--;
      if (w < dataEnd) break;
    }
    const inside = w < dataEnd || /;base64,$/i.test(text.slice(Math.max(0, w - 8), w));
    if (inside) {
      dataEnd = at;
      while (dataEnd < text.length && /[A-Za-z0-9+/=%_.~-]/.test(text[dataEnd])) dataEnd++;
    }
    return inside;
  };
  TOKEN_RUN.lastIndex = 0;
  for (let m = TOKEN_RUN.exec(text); m; m = TOKEN_RUN.exec(text)) {
    const run = m[0];
    if (publicBlocks.some(([a, z]) => m.index < z && m.index + run.length > a)) continue;
    if (run.startsWith("...")) continue;
    if (/\.\.\.$/.test(text.slice(Math.max(0, m.index - 16), m.index).replace(/[A-Za-z0-9+/]+$/, "")))
      continue;
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    if (/base64,$/i.test(before) || /;base64,/.test(run)) continue;
    if (/(?:sha-?(?:1|224|256|384|512)|md5)["']?[ \t]?[-:=][ \t]?["':]?$/i.test(before) || /^(?:sha(?:1|224|256|384|512)|md5)[-:]/i.test(run))
      continue;
    const parts = /^[A-Za-z0-9+/]+={0,2}$/.test(run) && /[+/]/.test(run) ? [run] : run.split(/(?=[./~])/);
    let offset = 0;
    let runNamed;
    for (const part of parts) {
      const t = part.replace(/^[./~]+/, "").replace(/[.~]+$/, "");
      const s = m.index + offset + part.indexOf(t);
      offset += part.length;
      if (t.length < 20) continue;
      if (t.length > 200) continue;
      if (!looksRandom(t)) continue;
      if (inUrl(text, s) || namedByKey(text, s)) continue;
      runNamed ??= s !== m.index && namedByKey(text, m.index) || runExcused(text, m.index, run) || inDataUri(m.index);
      if (runNamed) continue;
      out.push({ kind: "high-entropy", start: s, end: s + t.length });
    }
  }
}
function scanTokens(text, lower, out) {
  const seen = /* @__PURE__ */ new Set();
  if (text.length <= SHORT_TEXT) {
    for (const h of ALL_HINTS) if (lower.includes(h)) seen.add(h);
  } else {
    const { re, within } = hintScanner();
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const h = m[0].toLowerCase();
      if (seen.has(h)) continue;
      for (const w of within.get(h) ?? [h]) seen.add(w);
    }
  }
  for (const rule of TOKEN_RULES) {
    if (rule.hints.length && !rule.hints.some((h) => seen.has(h))) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      let secret = rule.group ? m[rule.group] : m[0];
      if (!secret) continue;
      let start = rule.group ? m.index + m[0].indexOf(secret) : m.index;
      if (rule.lead) {
        const lead = rule.lead.exec(text.slice(Math.max(0, start - 64), start))?.[0];
        if (!lead) continue;
        start -= lead.length;
        secret = lead + secret;
      }
      if (rule.check && !rule.check(secret)) continue;
      out.push({ kind: rule.kind, start, end: start + secret.length });
    }
  }
}
var compiled = /* @__PURE__ */ new Map();
function userRegex(source) {
  if (!compiled.has(source)) {
    try {
      compiled.set(source, new RegExp(source, "g"));
    } catch {
      compiled.set(source, null);
    }
  }
  return compiled.get(source) ?? null;
}
function merge(found) {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else out.push({ ...f });
  }
  return out;
}
var ESCAPE = /\\([nrt"\\/])/g;
var UNESCAPE = { n: "\n", r: "\r", t: "	", '"': '"', "\\": "\\", "/": "/" };
function decodeEscapes(text) {
  ESCAPE.lastIndex = 0;
  if (!ESCAPE.test(text)) return null;
  ESCAPE.lastIndex = 0;
  const parts = [];
  const dStarts = [0];
  const rStarts = [0];
  let raw = 0;
  let dec = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) {
    parts.push(text.slice(raw, m.index), UNESCAPE[m[1]]);
    dec += m.index - raw;
    dStarts.push(dec, dec + 1);
    rStarts.push(m.index, m.index + 2);
    dec += 1;
    raw = m.index + 2;
  }
  parts.push(text.slice(raw));
  const rawAt = (d) => {
    let lo = 0;
    let hi = dStarts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (dStarts[mid] <= d) lo = mid;
      else hi = mid - 1;
    }
    return rStarts[lo] + (d - dStarts[lo]);
  };
  return { decoded: parts.join(""), rawAt };
}
function findRaw(text, opts) {
  const found = [];
  if (text.length < 8) return found;
  const lower = text.toLowerCase();
  scanTokens(text, lower, found);
  scanCredentials(text, lower, found);
  const cleared = [];
  scanAssignments(text, found, cleared);
  if (lower.includes("secret")) scanKubernetesSecret(text, found);
  scanEntropy(text, found, cleared);
  if (opts.cut) scanCutToken(text, found);
  for (const source of opts.extraPatterns ?? []) {
    const re = userRegex(source);
    if (!re) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0] === "") {
        re.lastIndex++;
        continue;
      }
      found.push({ kind: "custom", start: m.index, end: m.index + m[0].length });
    }
  }
  return found;
}
var configured = {};
function configureRedaction(opts) {
  configured = { extraPatterns: [...opts.extraPatterns ?? []], allow: [...opts.allow ?? []] };
}
function findSecrets(text, given = {}) {
  const opts = {
    ...given,
    extraPatterns: [.../* @__PURE__ */ new Set([...configured.extraPatterns ?? [], ...given.extraPatterns ?? []])],
    allow: [...configured.allow ?? [], ...given.allow ?? []]
  };
  let found = findRaw(text, opts);
  if (opts.pass !== "fast") {
    const view = decodeEscapes(text);
    if (view)
      for (const f of findRaw(view.decoded, opts))
        found.push({
          kind: f.kind,
          start: view.rawAt(f.start),
          end: Math.min(text.length, view.rawAt(f.end))
        });
  }
  found = merge(found).filter(
    (f) => !text.startsWith("[REDACTED:", f.start) && !text.startsWith("REDACTED:", f.start) && // published in the provider's documentation or SDK: public already
    !isPublicExample(text.slice(f.start, f.end))
  );
  const allow = (opts.allow ?? []).map(userRegex).filter((re) => re !== null);
  if (!allow.length) return found;
  return found.filter((f) => {
    const value = text.slice(f.start, f.end);
    return !allow.some((re) => {
      re.lastIndex = 0;
      return re.test(value);
    });
  });
}
function redactText(text, opts = {}) {
  const found = findSecrets(text, opts);
  if (!found.length) return text;
  let out = "";
  let pos = 0;
  for (const f of found) {
    out += text.slice(pos, f.start) + mark(f.kind);
    pos = f.end;
  }
  return out + text.slice(pos);
}
function secretField(key) {
  const s = keyStrength(key);
  return s === "strong";
}
function redactDeep(value, opts, key) {
  if (typeof value === "string") {
    if (key !== null && secretField(key) && isSecretValue(value, "strong", true, key))
      return mark("secret-field");
    return redactText(value, opts);
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, opts, null));
  if (value && typeof value === "object") {
    const out = {};
    const capped = value.truncated === true;
    for (const [k, v] of Object.entries(value))
      out[k] = capped && k === "head" ? redactDeep(v, { ...opts, cut: true }, k) : redactDeep(v, opts, k);
    return out;
  }
  return value;
}
function redactValue(value, opts = {}) {
  return redactDeep(value, { pass: "fast", ...opts }, null);
}
function isEnvFile(file) {
  const base = file.split(/[\\/]/).pop() ?? "";
  return /^\.env(\..+)?$/.test(base) || /\.env$/.test(base) || base === ".envrc";
}
var ENV_LINE = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.*)$/gm;
function redactFileContent(file, content, opts = {}) {
  if (isEnvFile(file))
    content = content.replace(
      ENV_LINE,
      (m, head, value) => value.trim() === "" ? m : `${head}${mark("env")}`
    );
  return redactText(content, opts);
}

// src/store/fsutil.ts
var import_node_crypto = require("node:crypto");
var fs2 = __toESM(require("node:fs"), 1);
var path2 = __toESM(require("node:path"), 1);

// src/store/owner.ts
var import_node_child_process = require("node:child_process");
var fs = __toESM(require("node:fs"), 1);
var path = __toESM(require("node:path"), 1);
var target = null;
var decided = /* @__PURE__ */ new Map();
var DubiousOwnershipError = class extends Error {
  constructor(dir) {
    super(
      `${dir} is owned by another user and git's safe.directory does not allow it: nothing recorded (git config --global --add safe.directory ${dir})`
    );
  }
};
function adoptOwnership(commonDir, workTree) {
  const known = decided.get(commonDir);
  if (known !== void 0) {
    target = known;
    return;
  }
  const uid = process.getuid?.();
  let st;
  try {
    st = fs.statSync(commonDir);
  } catch {
    return;
  }
  if (uid === void 0 || st.uid === uid) {
    decided.set(commonDir, null);
    target = null;
    return;
  }
  const r2 = (0, import_node_child_process.spawnSync)("git", ["rev-parse", "--git-common-dir"], {
    cwd: workTree,
    stdio: ["ignore", "ignore", "pipe"]
  });
  if (r2.status !== 0) throw new DubiousOwnershipError(workTree);
  const t = uid === 0 ? { uid: st.uid, gid: st.gid } : null;
  decided.set(commonDir, t);
  target = t;
}
function own(file) {
  if (!target) return;
  try {
    fs.chownSync(file, target.uid, target.gid);
  } catch {
  }
}
function mkdirOwned(dir) {
  const first = fs.mkdirSync(dir, { recursive: true });
  if (!target || !first) return;
  for (let d = dir; ; d = path.dirname(d)) {
    own(d);
    if (d === first || path.dirname(d) === d) break;
  }
}

// src/store/fsutil.ts
var budget = (() => {
  const v = Number(process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER);
  return process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER && Number.isFinite(v) && v >= 0 ? v : null;
})();
var enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
function writeOnce(fd, buf, offset, length) {
  if (budget !== null) {
    if (budget <= 0) throw enospc();
    const n = fs2.writeSync(fd, buf, offset, Math.min(length, budget), null);
    budget -= n;
    return n;
  }
  return fs2.writeSync(fd, buf, offset, length, null);
}
function writeFull(fd, buf) {
  let done = 0;
  while (done < buf.length) {
    const n = writeOnce(fd, buf, done, buf.length - done);
    if (n <= 0) throw enospc();
    done += n;
  }
}
var tmpCounter = 0;
var tmpName = (prefix) => `${prefix}${process.pid.toString(36)}${(tmpCounter++).toString(36)}${(0, import_node_crypto.randomBytes)(3).toString("hex")}`;
var isENOENT = (e) => e.code === "ENOENT";
function writeFileDurable(file, data, opts = {}) {
  const dir = path2.dirname(file);
  const chunks = typeof data === "string" ? [Buffer.from(data, "utf8")] : Array.isArray(data) ? data : [data];
  for (let attempt = 0; ; attempt++) {
    const tmp = path2.join(dir, tmpName(opts.tmpPrefix ?? `.${path2.basename(file)}.tmp-`));
    let fd = null;
    try {
      try {
        fd = fs2.openSync(tmp, "wx", opts.mode ?? 420);
      } catch (e) {
        if (!isENOENT(e)) throw e;
        mkdirOwned(dir);
        fd = fs2.openSync(tmp, "wx", opts.mode ?? 420);
      }
      for (const c of chunks) writeFull(fd, c);
      if (opts.fsync !== false) fs2.fsyncSync(fd);
      fs2.closeSync(fd);
      fd = null;
      own(tmp);
      fs2.renameSync(tmp, file);
      return;
    } catch (e) {
      if (fd !== null) {
        try {
          fs2.closeSync(fd);
        } catch {
        }
      }
      try {
        fs2.unlinkSync(tmp);
      } catch {
      }
      if (isENOENT(e) && attempt < 5) continue;
      throw e;
    }
  }
}
function appendWhole(fd, data) {
  let n = 0;
  let error = null;
  try {
    n = writeOnce(fd, data, 0, data.length);
    if (n === data.length) return;
  } catch (e) {
    error = e;
  }
  if (n > 0) {
    try {
      const size = fs2.fstatSync(fd).size;
      const tail = Buffer.allocUnsafe(n);
      if (size >= n && fs2.readSync(fd, tail, 0, n, size - n) === n && tail.equals(data.subarray(0, n)))
        fs2.ftruncateSync(fd, size - n);
    } catch {
    }
  }
  throw error ?? enospc();
}

// src/store/config.ts
async function loadConfig(paths) {
  const file = path3.join(paths.workTree, CONFIG_FILE);
  let st;
  try {
    st = fs3.statSync(file);
  } catch {
    configureRedaction(DEFAULT_CONFIG.redaction);
    return DEFAULT_CONFIG;
  }
  const key = `${st.size}:${st.mtimeMs}`;
  const cacheFile = path3.join(paths.trackingDir, "config-cache.json");
  try {
    const cached = JSON.parse(fs3.readFileSync(cacheFile, "utf8"));
    if (cached.key === key && cached.file === file) {
      const config2 = normalizeConfig(cached.config);
      configureRedaction(config2.redaction);
      return config2;
    }
  } catch {
  }
  const { parse } = await import("yaml");
  let config;
  try {
    config = normalizeConfig(parse(fs3.readFileSync(file, "utf8")));
  } catch {
    config = DEFAULT_CONFIG;
  }
  try {
    adoptOwnership(paths.commonDir, paths.workTree);
    writeFileDurable(cacheFile, JSON.stringify({ key, file, config }), { fsync: false });
  } catch {
  }
  configureRedaction(config.redaction);
  return config;
}

// src/store/paths.ts
var fs4 = __toESM(require("node:fs"), 1);
var path4 = __toESM(require("node:path"), 1);
var TRACKING_BRANCH = "agent-tracking";
var TRACKING_REF = `refs/heads/${TRACKING_BRANCH}`;
function readGitFile(file) {
  try {
    const text = fs4.readFileSync(file, "utf8");
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
    return m ? path4.resolve(path4.dirname(file), m[1]) : null;
  } catch {
    return null;
  }
}
function findRepo(start) {
  let dir = path4.resolve(start);
  for (; ; ) {
    const dotGit = path4.join(dir, ".git");
    let gitDir = null;
    try {
      const st = fs4.statSync(dotGit);
      gitDir = st.isDirectory() ? dotGit : readGitFile(dotGit);
    } catch {
      gitDir = null;
    }
    if (gitDir) return pathsFor(dir, gitDir);
    const parent = path4.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
function pathsFor(workTree, gitDir) {
  let commonDir = gitDir;
  try {
    const rel = fs4.readFileSync(path4.join(gitDir, "commondir"), "utf8").trim();
    if (rel) commonDir = path4.resolve(gitDir, rel);
  } catch {
  }
  const trackingDir = path4.join(commonDir, "agent-tracking");
  return {
    workTree,
    gitDir,
    commonDir,
    trackingDir,
    spoolDir: path4.join(trackingDir, "spool"),
    errorsDir: path4.join(trackingDir, "errors")
  };
}
function readHead(paths) {
  try {
    const text = fs4.readFileSync(path4.join(paths.gitDir, "HEAD"), "utf8").trim();
    if (text.startsWith("ref: ")) {
      const ref = text.slice(5);
      return { branch: ref.replace(/^refs\/heads\//, ""), head: readRef(paths.commonDir, ref) };
    }
    return { branch: null, head: text || null };
  } catch {
    return { branch: null, head: null };
  }
}
function readRef(commonDir, ref) {
  try {
    const v = fs4.readFileSync(path4.join(commonDir, ref), "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(v)) return v;
  } catch {
  }
  try {
    const packed = fs4.readFileSync(path4.join(commonDir, "packed-refs"), "utf8");
    for (const line of packed.split("\n")) {
      if (line.length > 41 && line.charCodeAt(40) === 32 && line.slice(41) === ref) return line.slice(0, 40);
    }
  } catch {
  }
  return null;
}
var formats = /* @__PURE__ */ new Map();
function objectFormat(commonDir) {
  let f = formats.get(commonDir);
  if (f === void 0) {
    f = "sha1";
    try {
      const m = /^\s*objectformat\s*=\s*"?([\w-]+)"?\s*$/im.exec(
        fs4.readFileSync(path4.join(commonDir, "config"), "utf8")
      );
      if (m) f = m[1].toLowerCase();
    } catch {
    }
    formats.set(commonDir, f);
  }
  return f;
}

// src/store/spool.ts
var fs5 = __toESM(require("node:fs"), 1);
var path5 = __toESM(require("node:path"), 1);
var safeSessionId = (s) => s.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 128) || "unknown";
var spoolFile = (paths, session) => path5.join(paths.spoolDir, `${safeSessionId(session)}.jsonl`);
var offsetFile = (spool) => spool.replace(/\.jsonl$/, ".offset");
var rawSpoolDir = (paths) => path5.join(paths.trackingDir, "raw");
var rawLockFile = (paths) => path5.join(paths.trackingDir, "raw.lock");
var RAW_NAME = /^(\d+)-(\d+)\.json$/;
var RAW_NOTE = ".converting";
function rawWaiting(paths) {
  try {
    return fs5.readdirSync(rawSpoolDir(paths)).some((n) => RAW_NAME.test(n) || n === RAW_NOTE);
  } catch {
    return false;
  }
}
function appendEvents(paths, session, events) {
  const file = spoolFile(paths, session);
  const data = events.map((e) => `${JSON.stringify(e)}
`).join("");
  let fd;
  try {
    fd = fs5.openSync(file, "a+");
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
    mkdirOwned(paths.spoolDir);
    fd = fs5.openSync(file, "a+");
  }
  own(file);
  try {
    appendWhole(fd, Buffer.from(data, "utf8"));
    return { file, size: fs5.fstatSync(fd).size };
  } finally {
    fs5.closeSync(fd);
  }
}
function readOffset(spool) {
  try {
    const [ino, offset] = fs5.readFileSync(offsetFile(spool), "utf8").trim().split(":").map(Number);
    return Number.isFinite(ino) && Number.isFinite(offset) ? { ino, offset } : null;
  } catch {
    return null;
  }
}
function unflushedLineCount(spool, size, limit) {
  const off = readOffset(spool);
  let start = 0;
  try {
    if (off && off.ino === fs5.statSync(spool).ino) start = off.offset;
  } catch {
    return 0;
  }
  const pending = size - start;
  if (pending <= 0) return 0;
  if (pending > limit * 8192) return limit;
  const buf = Buffer.allocUnsafe(pending);
  const fd = fs5.openSync(spool, "r");
  try {
    const n = fs5.readSync(fd, buf, 0, pending, start);
    let count = 0;
    for (let i = 0; i < n; i++) if (buf[i] === 10) count++;
    return count;
  } finally {
    fs5.closeSync(fd);
  }
}
function readSlice(file, from, bytes) {
  const fd = fs5.openSync(file, "r");
  try {
    const size = fs5.fstatSync(fd).size;
    const n = Math.min(size, bytes);
    const buf = Buffer.allocUnsafe(n);
    fs5.readSync(fd, buf, 0, n, from === "head" ? 0 : size - n);
    return buf.toString("utf8");
  } finally {
    fs5.closeSync(fd);
  }
}
function recentSpooledSessions(paths, limit, exclude) {
  let names;
  try {
    names = fs5.readdirSync(paths.spoolDir).filter((f) => f.endsWith(".jsonl"));
  } catch {
    return [];
  }
  const files = names.filter((f) => f !== `${safeSessionId(exclude)}.jsonl`).map((f) => {
    try {
      return { f, mtimeMs: fs5.statSync(path5.join(paths.spoolDir, f)).mtimeMs };
    } catch {
      return null;
    }
  }).filter((x) => x !== null).sort((a, b) => b.mtimeMs - a.mtimeMs).slice(0, limit);
  const out = [];
  for (const { f, mtimeMs } of files) {
    const file = path5.join(paths.spoolDir, f);
    const info = {
      session: f.slice(0, -6),
      mtimeMs,
      branch: null,
      pid: null,
      host: null,
      ended: false,
      lastActivity: null
    };
    try {
      for (const line of readSlice(file, "head", 65536).split("\n")) {
        if (!line.includes('"session_start"')) continue;
        const e = JSON.parse(line);
        info.session = typeof e.session === "string" ? e.session : info.session;
        info.branch = typeof e.branch === "string" ? e.branch : null;
        info.pid = typeof e.pid === "number" ? e.pid : null;
        info.host = typeof e.host === "string" ? e.host : null;
        break;
      }
      const tail = readSlice(file, "tail", 16384).split("\n").filter(Boolean);
      for (const line of tail.reverse()) {
        if (line.includes('"type":"session_end"')) {
          info.ended = true;
          break;
        }
        if (line.includes('"type":"session_start"')) break;
      }
      const last = tail[0];
      info.lastTurnEnded = last ? last.includes('"type":"stop"') : false;
      const m = last ? /"ts":"([^"]+)"/.exec(last) : null;
      info.lastActivity = m ? m[1] : new Date(mtimeMs).toISOString();
    } catch {
      info.lastActivity = new Date(mtimeMs).toISOString();
    }
    out.push(info);
  }
  return out;
}

// src/store/userspool.ts
var fs6 = __toESM(require("node:fs"), 1);
var os = __toESM(require("node:os"), 1);
var path6 = __toESM(require("node:path"), 1);
function userStateRoot(env = process.env) {
  const xdg = env.XDG_STATE_HOME;
  if (xdg && path6.isAbsolute(xdg)) return path6.join(xdg, "agent-tracking");
  let home = "";
  try {
    home = os.homedir();
  } catch {
    return null;
  }
  return home && path6.isAbsolute(home) ? path6.join(home, ".local", "state", "agent-tracking") : null;
}
var keys = /* @__PURE__ */ new Map();
function pathHash(s) {
  let h1 = 2166136261;
  let h2 = 84696351;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c, 16777619) >>> 0;
    h2 = (h2 ^ h1 >>> 13) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}
function repoKey(paths) {
  let key = keys.get(paths.commonDir);
  if (key === void 0) {
    let real = paths.commonDir;
    try {
      real = fs6.realpathSync.native(paths.commonDir);
    } catch {
    }
    const name = path6.basename(paths.workTree).replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 40) || "repo";
    key = `${name}-${pathHash(real)}`;
    keys.set(paths.commonDir, key);
  }
  return key;
}
function userRepoDir(paths) {
  const root = userStateRoot();
  return root ? path6.join(root, repoKey(paths)) : null;
}
var userSpoolDir = (paths) => {
  const d = userRepoDir(paths);
  return d ? path6.join(d, "spool") : null;
};
var isReadOnlyError = (e) => ["EACCES", "EPERM", "EROFS"].includes(e?.code ?? "");
function privateDir(dir, root) {
  fs6.mkdirSync(dir, { recursive: true, mode: 448 });
  for (let d = dir; d.startsWith(root); d = path6.dirname(d)) {
    try {
      const st = fs6.statSync(d);
      if ((st.mode & 63) !== 0 && st.uid === process.getuid?.()) fs6.chmodSync(d, 448);
    } catch {
    }
    if (d === root) break;
  }
}
function appendUserSpool(paths, session, events) {
  const root = userStateRoot();
  const dir = userSpoolDir(paths);
  if (!root || !dir) throw new Error("no home folder to keep the events in");
  const file = path6.join(dir, `${safeSessionId(session)}.jsonl`);
  const data = Buffer.from(events.map((e) => `${JSON.stringify(e)}
`).join(""), "utf8");
  for (let attempt = 0; ; attempt++) {
    let fd;
    try {
      fd = fs6.openSync(file, "a+", 384);
    } catch (e) {
      if (e.code !== "ENOENT" || attempt > 2) throw e;
      privateDir(dir, root);
      const note = path6.join(path6.dirname(dir), "repository");
      if (!fs6.existsSync(note)) fs6.writeFileSync(note, `${paths.commonDir}
`, { mode: 384 });
      continue;
    }
    try {
      appendWhole(fd, data);
      return file;
    } finally {
      fs6.closeSync(fd);
    }
  }
}
function userSpoolPending(paths) {
  const dir = userSpoolDir(paths);
  return dir !== null && fs6.existsSync(dir);
}

// src/model/canonical.ts
var import_node_crypto2 = require("node:crypto");
var derivedId = (kind, session, key) => `${kind}-${(0, import_node_crypto2.createHash)("sha1").update(`${session}\0${key}`).digest("hex").slice(0, 32)}`;
var toolCallId = (session, agent, toolUseId) => derivedId("tool_call", session, `${agent}:${toolUseId}`);
var toolStartId = (session, agent, toolUseId) => derivedId("tool_start", session, `${agent}:${toolUseId}`);
var toolErrorId = (session, toolUseId) => derivedId("e", session, toolUseId);
var fileChangeId = (session, agent, toolUseId) => derivedId("file_change", session, `${agent}:${toolUseId}`);
function errorOutcome(text) {
  const t = text.trimStart().replace(/^<tool_use_error>\s*/, "").replace(/^Error: /, "");
  if (t.startsWith("The user doesn't want to proceed with this tool use") || t.startsWith("The user does not want to proceed") || t.startsWith("User rejected tool use") || t.startsWith("The user doesn't want to take this action"))
    return "rejected";
  if (t.startsWith("[Request interrupted by user")) return "interrupted";
  if (t.startsWith("Sibling tool call errored") || t.startsWith("Cancelled: parallel tool call"))
    return "cascaded";
  if (/^Permission to use \S+ (with command [\s\S]* )?has been denied/.test(t) || t.startsWith("Permission for this action has been denied") || t.startsWith("Permission for this action was denied") || /^Claude requested permissions? to [\s\S]{0,400}?, but you haven't granted it yet/.test(t) || t.startsWith("This command requires approval") || t.startsWith("Your organization requires approval for this tool") || /^This Bash command contains multiple operations\. The following part requires approval/.test(t) || /^\S[^\n]{0,400}' was blocked\. For security, Claude Code may only /.test(t))
    return "denied";
  return "failed";
}

// src/capture/diff.ts
var import_node_crypto3 = require("node:crypto");
function gitBlobId(content) {
  const body = Buffer.from(content, "utf8");
  return (0, import_node_crypto3.createHash)("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}
var splitLines = (text) => {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
};
function unifiedDiff(file, hunks, created) {
  const header = `--- ${created ? "/dev/null" : `a/${file}`}
+++ b/${file}
`;
  const body = hunks.map((h) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@
${h.lines.join("\n")}
`).join("");
  return header + body;
}
function wholeFileHunks(before, after) {
  const oldL = before === null ? [] : splitLines(before);
  const newL = splitLines(after);
  if (oldL.length === 0 && newL.length === 0) return [];
  return [
    {
      oldStart: oldL.length ? 1 : 0,
      oldLines: oldL.length,
      newStart: newL.length ? 1 : 0,
      newLines: newL.length,
      lines: [...oldL.map((l) => `-${l}`), ...newL.map((l) => `+${l}`)]
    }
  ];
}
function applyHunks(original, hunks) {
  const endsWithNewline = original === "" || original.endsWith("\n");
  const src = splitLines(original);
  const out = [];
  let pos = 0;
  for (const h of hunks) {
    const start = Math.max(0, h.oldStart - 1);
    if (start < pos || start > src.length) return null;
    while (pos < start) out.push(src[pos++]);
    for (const line of h.lines) {
      const tag = line[0];
      const text = line.slice(1);
      if (tag === " " || tag === "-") {
        if (src[pos] !== text) return null;
        pos++;
        if (tag === " ") out.push(text);
      } else if (tag === "+") out.push(text);
    }
  }
  while (pos < src.length) out.push(src[pos++]);
  return out.join("\n") + (out.length && endsWithNewline ? "\n" : "");
}

// src/capture/events.ts
var import_node_crypto4 = require("node:crypto");
var AGENT_TOOLS = /* @__PURE__ */ new Set(["Agent", "Task"]);
var FILE_TOOLS = /* @__PURE__ */ new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);
function capValue(value, max) {
  if (value === void 0 || value === null) return value;
  const json = typeof value === "string" ? value : JSON.stringify(value);
  if (json === void 0 || Buffer.byteLength(json) <= max) return value;
  return {
    truncated: true,
    bytes: Buffer.byteLength(json),
    sha256: (0, import_node_crypto4.createHash)("sha256").update(json).digest("hex"),
    head: json.slice(0, Math.min(2048, max))
  };
}
var str = (v) => typeof v === "string" ? v : void 0;
function relPath(file, workTree) {
  if (workTree && file.startsWith(`${workTree}/`)) return file.slice(workTree.length + 1);
  return file;
}
var PATH_KEYS = ["file_path", "filePath", "notebook_path"];
function relativeInput(input, workTree) {
  if (!workTree || !input || typeof input !== "object" || Array.isArray(input)) return input;
  let copy = null;
  for (const k of PATH_KEYS) {
    const v = input[k];
    if (typeof v !== "string") continue;
    const rel = relPath(v, workTree);
    if (rel !== v) {
      copy ??= { ...input };
      copy[k] = rel;
    }
  }
  return copy ?? input;
}
function fileChange(p, ctx, base) {
  const input = p.tool_input ?? {};
  const resp = p.tool_response ?? {};
  const abs = str(resp.filePath) ?? str(input.file_path) ?? str(input.notebook_path);
  if (!abs) return null;
  const file = relPath(abs, ctx.workTree);
  const original = typeof resp.originalFile === "string" ? resp.originalFile : null;
  const patch = Array.isArray(resp.structuredPatch) ? resp.structuredPatch : [];
  let after = null;
  let hunks;
  let operation;
  if (p.tool_name === "Write") {
    after = str(input.content) ?? str(resp.content) ?? null;
    operation = original === null ? "create" : "update";
    hunks = patch.length || after === null ? patch : wholeFileHunks(original, after);
  } else if (p.tool_name === "NotebookEdit") {
    operation = "notebook";
    hunks = patch;
  } else {
    operation = "edit";
    hunks = patch;
    if (original !== null) after = applyHunks(original, patch);
  }
  const max = ctx.config.limits.fileContentBytes;
  let diff = unifiedDiff(file, hunks, original === null && operation === "create");
  diff = diff.split("\n").map(
    (line) => /^[-+ ]/.test(line) && !/^(---|\+\+\+) /.test(line) ? line[0] + redactFileContent(abs, line.slice(1)) : line
  ).join("\n");
  return {
    ...base(),
    type: "file_change",
    toolUseId: str(p.tool_use_id) ?? null,
    path: file,
    operation,
    diff: capValue(diff, max),
    blobBefore: original === null ? null : gitBlobId(original),
    blobAfter: after === null ? null : gitBlobId(after)
  };
}
var FILE_TEXT_KEYS = ["content", "old_string", "new_string", "originalFile", "oldString", "newString"];
function fileAware(value, file, ctx) {
  if (!file || !value || typeof value !== "object" || Array.isArray(value))
    return capValue(value, ctx.config.limits.toolOutputBytes);
  const copy = { ...value };
  for (const k of FILE_TEXT_KEYS) if (typeof copy[k] === "string") copy[k] = redactFileContent(file, copy[k]);
  if (Array.isArray(copy.structuredPatch)) {
    copy.structuredPatch = copy.structuredPatch.map(
      (h) => h && Array.isArray(h.lines) ? {
        ...h,
        lines: h.lines.map(
          (l) => typeof l === "string" ? l.slice(0, 1) + redactFileContent(file, l.slice(1)) : l
        )
      } : h
    );
  }
  return capValue(relativeInput(copy, ctx.workTree), ctx.config.limits.toolOutputBytes);
}
var filePathOf = (p) => str(p.tool_input?.file_path) ?? str(p.tool_input?.notebook_path) ?? str(p.tool_response?.filePath);
var toolInput = (p, ctx) => fileAware(p.tool_input, filePathOf(p), ctx);
function payloadToEvents(p, ctx) {
  const session = str(p.session_id);
  const hookEvent = str(p.hook_event_name);
  if (!session || !hookEvent) throw new Error("payload has no session_id or hook_event_name");
  const agent = str(p.agent_id) ?? "main";
  const ts = ctx.now();
  const useId = str(p.tool_use_id);
  const idFor = (type) => {
    if (useId) {
      if (type === "tool_call") return toolCallId(session, agent, useId);
      if (type === "tool_start") return toolStartId(session, agent, useId);
      if (type === "error") return toolErrorId(session, useId);
      if (type === "file_change") return fileChangeId(session, agent, useId);
    }
    return ctx.newId();
  };
  const base = (type = "tool_call") => {
    const e = { id: idFor(type), ts, session, agent, type };
    if (typeof p.agent_type === "string") e.agentType = p.agent_type;
    else if (agent === "main") e.agentType = "main";
    return e;
  };
  const cap = (v) => capValue(v, ctx.config.limits.toolOutputBytes);
  const tool = str(p.tool_name) ?? "unknown";
  switch (hookEvent) {
    case "SessionStart":
      return [
        {
          ...base("session_start"),
          source: str(p.source) ?? null,
          cwd: str(p.cwd) ?? null,
          branch: ctx.head?.branch ?? null,
          head: ctx.head?.head ?? null,
          model: str(p.model) ?? null,
          transcriptPath: str(p.transcript_path) ?? null,
          pid: ctx.claude?.pid ?? null,
          host: ctx.claude?.host ?? null
        }
      ];
    case "UserPromptSubmit":
      return [
        {
          ...base("prompt"),
          text: cap(p.prompt ?? ""),
          promptId: str(p.prompt_id) ?? null,
          // where the conversation is: a flush that lost its cursors (a rebuilt state) finds it again
          ...str(p.transcript_path) ? { transcriptPath: str(p.transcript_path) } : {}
        }
      ];
    case "PreToolUse": {
      const e = {
        ...base("tool_start"),
        toolUseId: str(p.tool_use_id) ?? null,
        tool,
        input: toolInput(p, ctx)
      };
      if (AGENT_TOOLS.has(tool) && p.tool_input) {
        e.launch = {
          description: str(p.tool_input.description) ?? null,
          prompt: cap(p.tool_input.prompt ?? null),
          subagentType: str(p.tool_input.subagent_type) ?? null
        };
      }
      return [e];
    }
    case "PostToolUse": {
      const call = {
        ...base("tool_call"),
        toolUseId: str(p.tool_use_id) ?? null,
        tool,
        input: toolInput(p, ctx),
        output: fileAware(p.tool_response ?? null, filePathOf(p), ctx),
        success: true,
        outcome: "success",
        durationMs: typeof p.duration_ms === "number" ? p.duration_ms : null
      };
      if (AGENT_TOOLS.has(tool) && p.tool_response && typeof p.tool_response === "object") {
        call.launchedAgent = str(p.tool_response.agentId) ?? null;
      }
      const out = [call];
      if (FILE_TOOLS.has(tool)) {
        const fc = fileChange(p, ctx, () => base("file_change"));
        if (fc) out.push(fc);
      }
      return out;
    }
    case "PostToolUseFailure": {
      const error = str(p.error) ?? "unknown error";
      const toolUseId = useId ?? null;
      const outcome = p.is_interrupt === true ? "interrupted" : errorOutcome(error);
      const call = {
        ...base("tool_call"),
        toolUseId,
        tool,
        input: toolInput(p, ctx),
        success: false,
        outcome,
        error: cap(error),
        interrupted: p.is_interrupt === true,
        durationMs: typeof p.duration_ms === "number" ? p.duration_ms : null
      };
      if (outcome !== "failed") return [call];
      return [call, { ...base("error"), source: "tool", toolUseId, tool, message: cap(error) }];
    }
    case "SubagentStart":
      return [{ ...base("agent_start"), agentId: agent }];
    case "SubagentStop":
      return [
        {
          ...base("agent_end"),
          agentId: agent,
          transcriptPath: str(p.agent_transcript_path) ?? null,
          lastMessage: cap(p.last_assistant_message ?? null)
        }
      ];
    case "PreCompact":
    case "PostCompact":
      return [
        {
          ...base("compact"),
          stage: hookEvent === "PreCompact" ? "pre" : "post",
          trigger: str(p.trigger) ?? null,
          instructions: cap(p.custom_instructions ?? null),
          summary: cap(p.compact_summary ?? null)
        }
      ];
    case "Notification":
      return [
        { ...base("notification"), message: cap(p.message ?? null), kind: str(p.notification_type) ?? null }
      ];
    case "Stop":
      return [{ ...base("stop"), lastMessage: cap(p.last_assistant_message ?? null) }];
    case "SessionEnd":
      return [{ ...base("session_end"), reason: str(p.reason) ?? null }];
    default: {
      const { session_id: _s, transcript_path: _t, cwd: _c, hook_event_name: _h, ...rest } = p;
      return [{ ...base("hook"), hookEvent, payload: cap(rest) }];
    }
  }
}
var FLUSH_EVENTS = /* @__PURE__ */ new Set(["SubagentStop", "Stop", "PreCompact", "SessionEnd"]);

// src/capture/codex.ts
var CODEX = "codex";
var str2 = (v) => typeof v === "string" ? v : null;
function codexHookEvents(p, ctx) {
  const session = str2(p.session_id);
  if (!session) throw new Error("a Codex hook payload without session_id");
  const base = (type, id) => ({
    id,
    ts: ctx.now(),
    session,
    agent: "main",
    agentType: "main",
    type,
    source: "hook",
    agentTool: CODEX
  });
  const event = str2(p.hook_event_name);
  if (event === "SessionStart") {
    const source = str2(p.source) ?? "startup";
    return [
      {
        // the first start is the rollout's session_start (one id); a resume is a start of its own
        ...base(
          "session_start",
          source === "startup" ? derivedId("session_start", session, "main:start") : `s-${ctx.newId()}`
        ),
        cwd: str2(p.cwd),
        branch: ctx.head?.branch ?? null,
        head: ctx.head?.head ?? null,
        model: str2(p.model),
        startSource: source,
        rolloutPath: str2(p.transcript_path),
        ...ctx.process ? { pid: ctx.process.pid, host: ctx.process.host } : {}
      }
    ];
  }
  if (event === "Stop" && str2(p.turn_id))
    return [base("stop", derivedId("stop", session, `main:${p.turn_id}`))];
  return [];
}

// src/capture/gemini.ts
var GEMINI = "gemini";
var str3 = (v) => typeof v === "string" ? v : null;
function geminiHookEvents(p, ctx) {
  const session = str3(p.session_id);
  if (!session) throw new Error("a Gemini hook payload without session_id");
  const ts = str3(p.timestamp) ?? ctx.now();
  const base = (type, id) => ({
    id,
    ts,
    session,
    agent: "main",
    agentType: "main",
    type,
    source: "hook",
    agentTool: GEMINI
  });
  const event = str3(p.hook_event_name);
  if (event === "SessionStart") {
    const source = str3(p.source) ?? "startup";
    return [
      {
        ...base(
          "session_start",
          source === "startup" ? derivedId("session_start", session, "main:start") : `s-${ctx.newId()}`
        ),
        cwd: str3(p.cwd),
        branch: ctx.head?.branch ?? null,
        head: ctx.head?.head ?? null,
        startSource: source,
        chatPath: str3(p.transcript_path),
        ...ctx.process ? { pid: ctx.process.pid, host: ctx.process.host } : {}
      }
    ];
  }
  if (event === "AfterAgent") return [base("stop", `stop-${ctx.newId()}`)];
  if (event === "SessionEnd")
    return [{ ...base("session_end", `end-${ctx.newId()}`), reason: str3(p.reason) }];
  return [];
}

// src/capture/raw.ts
var import_node_crypto5 = require("node:crypto");
var fs8 = __toESM(require("node:fs"), 1);
var path8 = __toESM(require("node:path"), 1);

// src/store/lock.ts
var fs7 = __toESM(require("node:fs"), 1);
var os2 = __toESM(require("node:os"), 1);
var path7 = __toESM(require("node:path"), 1);
var sleep = (ms) => new Promise((r2) => setTimeout(r2, ms));
function tryCreate(file, content) {
  try {
    const fd = fs7.openSync(file, "wx");
    try {
      fs7.writeSync(fd, content);
    } finally {
      fs7.closeSync(fd);
    }
    return true;
  } catch (e) {
    if (e.code === "EEXIST") return false;
    throw e;
  }
}
var pidAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
};
function startTime(pid) {
  try {
    const stat = fs7.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  } catch {
    return null;
  }
}
var me = () => ({ pid: process.pid, host: os2.hostname(), start: startTime(process.pid) });
function holderGone(h) {
  if (h.host !== os2.hostname()) return false;
  if (!pidAlive(h.pid)) return true;
  const now = startTime(h.pid);
  return h.start !== null && now !== null && now !== h.start;
}
async function acquireMutex(file, waitMs) {
  mkdirOwned(path7.dirname(file));
  const self2 = me();
  const content = `${self2.pid} ${self2.host} ${self2.start ?? "-"}
`;
  const deadline = Date.now() + waitMs;
  for (; ; ) {
    if (tryCreate(file, content)) {
      own(file);
      return () => {
        try {
          if (fs7.readFileSync(file, "utf8") === content) fs7.unlinkSync(file);
        } catch {
        }
      };
    }
    try {
      const st = fs7.statSync(file);
      const [pid, host, start] = fs7.readFileSync(file, "utf8").trim().split(" ");
      const n = Number(pid);
      const gone = !Number.isInteger(n) || n <= 0 ? Date.now() - st.mtimeMs > 5e3 : holderGone({
        pid: n,
        host: host ?? os2.hostname(),
        start: start && start !== "-" ? Number(start) : null
      });
      if (gone && fs7.statSync(file).ino === st.ino) fs7.unlinkSync(file);
    } catch {
    }
    if (Date.now() >= deadline) return null;
    await sleep(20);
  }
}

// src/capture/raw.ts
var rawDir = rawSpoolDir;
var rawPending = rawWaiting;
var NOTE = RAW_NOTE;
var STALE_MS = 60 * 60 * 1e3;
function ensureRawDir(paths) {
  const dir = rawDir(paths);
  try {
    fs8.mkdirSync(dir, { mode: 448 });
  } catch (e) {
    if (e.code !== "EEXIST") {
      mkdirOwned(dir);
    }
  }
  own(dir);
  try {
    if ((fs8.statSync(dir).mode & 63) !== 0) fs8.chmodSync(dir, 448);
  } catch {
  }
}
function parseRaw(text) {
  const nl = text.indexOf("\n");
  const head = nl < 0 ? "" : text.slice(0, nl);
  const [workTree, body] = head.startsWith("/") ? [path8.resolve(head), text.slice(nl + 1)] : [null, text];
  try {
    return { workTree, payload: JSON.parse(body) };
  } catch {
    return null;
  }
}
function eventsOf(raw, config, paths) {
  const seed = (0, import_node_crypto5.createHash)("sha256").update(raw.name).update(String(raw.ns)).update(raw.bytes).digest("hex");
  let n = 0;
  const newId = () => {
    const h = (0, import_node_crypto5.createHash)("sha256").update(`${seed}:${n++}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  };
  const ts = new Date(Number(raw.ns / 1000000n)).toISOString();
  const events = payloadToEvents(raw.payload, {
    now: () => ts,
    newId,
    config,
    workTree: raw.workTree ?? paths.workTree
  });
  return events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns, pass: "full" }));
}
function setAside(paths, name, text, why) {
  try {
    mkdirOwned(paths.errorsDir);
    const file = path8.join(paths.errorsDir, `raw-${name}`);
    fs8.writeFileSync(file, JSON.stringify({ error: why, payload: redactText(text, { pass: "full" }) }), {
      mode: 384
    });
    own(file);
  } catch {
  }
}
function spoolIds(file) {
  const ids = /* @__PURE__ */ new Set();
  let text = "";
  try {
    text = fs8.readFileSync(file, "utf8");
  } catch {
    return ids;
  }
  for (const m of text.matchAll(/^\{"id":"([^"]+)"/gm)) ids.add(m[1]);
  return ids;
}
async function convertRaw(paths, opts = {}) {
  const result = { payloads: 0, events: 0, bad: 0, left: 0 };
  const dir = rawDir(paths);
  try {
    fs8.rmSync(path8.join(paths.trackingDir, "flush.want"), { force: true });
  } catch {
  }
  if (!rawPending(paths)) return result;
  const release = await acquireMutex(rawLockFile(paths), opts.waitMs ?? 0);
  if (!release) return null;
  try {
    const config = opts.config ?? await loadConfig(paths);
    let suspect = /* @__PURE__ */ new Set();
    try {
      suspect = new Set(fs8.readFileSync(path8.join(dir, NOTE), "utf8").split("\n").filter(Boolean));
    } catch {
    }
    const files = [];
    for (const name of fs8.readdirSync(dir)) {
      const m = RAW_NAME.exec(name);
      if (!m) continue;
      const file = path8.join(dir, name);
      let bytes;
      let st;
      try {
        bytes = fs8.readFileSync(file);
        st = fs8.statSync(file, { bigint: true });
      } catch {
        continue;
      }
      const text = bytes.toString("utf8");
      const parsed = parseRaw(text);
      const payload = parsed?.payload;
      if (!parsed || !payload || typeof payload !== "object" || Array.isArray(payload)) {
        const gone = !pidAlive(Number(m[1])) || Date.now() - Number(st.mtimeMs) > STALE_MS;
        if (!parsed ? gone : true) {
          setAside(paths, name, text, parsed ? "payload is not an object" : "not a whole JSON payload");
          fs8.rmSync(file, { force: true });
          result.bad++;
        } else result.left++;
        continue;
      }
      const birth = st.birthtimeNs;
      const ns = birth > 0n && birth <= st.mtimeNs ? birth : st.mtimeNs;
      files.push({ name, file, ns, workTree: parsed.workTree, payload, bytes });
    }
    files.sort((a, b) => a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.name.localeCompare(b.name));
    const bySession = /* @__PURE__ */ new Map();
    const done = [];
    const seen = /* @__PURE__ */ new Map();
    const copies = [];
    for (const raw of files) {
      const body = (0, import_node_crypto5.createHash)("sha256").update(raw.bytes.subarray(raw.workTree === null ? 0 : raw.bytes.indexOf(10) + 1)).digest("hex");
      const at = seen.get(body);
      if (at !== void 0 && raw.ns - at < 1000000000n) {
        copies.push(raw);
        continue;
      }
      seen.set(body, raw.ns);
      let events;
      try {
        events = eventsOf(raw, config, paths);
      } catch (e) {
        setAside(paths, raw.name, raw.bytes.toString("utf8"), e.message);
        fs8.rmSync(raw.file, { force: true });
        result.bad++;
        continue;
      }
      done.push(raw);
      for (const e of events) {
        const list = bySession.get(e.session);
        if (list) list.push(e);
        else bySession.set(e.session, [e]);
      }
    }
    if (done.length) {
      const note = [.../* @__PURE__ */ new Set([...suspect, ...done.map((r2) => r2.name)])].join("\n");
      fs8.writeFileSync(path8.join(dir, NOTE), `${note}
`, { mode: 384 });
      own(path8.join(dir, NOTE));
      const suspectSessions = new Set(
        done.filter((r2) => suspect.has(r2.name)).map((r2) => String(r2.payload.session_id))
      );
      for (const [session, list] of bySession) {
        let events = list;
        if (suspectSessions.has(session)) {
          const have = spoolIds(spoolFile(paths, session));
          events = list.filter((e) => !have.has(e.id));
        }
        if (!events.length) continue;
        const { file } = appendEvents(paths, session, events);
        const fd = fs8.openSync(file, "r");
        try {
          fs8.fsyncSync(fd);
        } finally {
          fs8.closeSync(fd);
        }
        result.events += events.length;
      }
      if (process.env.AGENT_TRACK_FAULT === "after-raw-append") process.kill(process.pid, "SIGKILL");
      for (const raw of done) fs8.rmSync(raw.file, { force: true });
      result.payloads = done.length;
    }
    for (const raw of copies) fs8.rmSync(raw.file, { force: true });
    fs8.rmSync(path8.join(dir, NOTE), { force: true });
    return result;
  } finally {
    release();
  }
}

// src/capture/hook.ts
function claudePid() {
  let pid = process.ppid;
  for (let i = 0; i < 3; i++) {
    try {
      const comm = fs9.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (!/^(sh|bash|dash|zsh|fish|ksh)$/.test(comm)) return pid;
      const stat = fs9.readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return null;
    }
  }
  return pid;
}
function injectionTarget(paths, payload, config, branch) {
  const source = String(payload.source ?? "");
  const session = String(payload.session_id);
  if (source === "compact" || source === "resume") return session;
  if (source !== "startup" || !config.recovery.injectOnStartup) return null;
  const previous = recentSpooledSessions(paths, 20, session).find((s) => s.branch === branch);
  if (!previous) return null;
  const status = sessionStatus(previous, {
    now: Date.now(),
    host: os3.hostname(),
    alive: processAlive,
    crashedAfterMinutes: config.recovery.crashedAfterMinutes
  });
  return status === "crashed" ? previous.session : null;
}
function withSystemMessage(hookOutput, target2, source) {
  const out = JSON.parse(hookOutput);
  const short = target2.slice(0, 8);
  const see = `see it with /agent-track:handoff ${short}`;
  out.systemMessage = source === "startup" ? `agent-track: session ${short} crashed; its handoff was given to Claude to continue from (${see})` : `agent-track: the handoff of this session (${short}) was given to Claude after the ${source === "compact" ? "compaction" : "resume"} (${see})`;
  return JSON.stringify(out);
}
function logFailure(paths, input, error) {
  const name = `${(/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-")}-${process.pid}.json`;
  const record = JSON.stringify({
    error: redactText(error instanceof Error ? error.message : String(error)),
    payload: redactText(input)
  });
  try {
    if (!paths) throw new Error("no repository");
    mkdirOwned(paths.errorsDir);
    fs9.writeFileSync(path9.join(paths.errorsDir, name), record);
    own(path9.join(paths.errorsDir, name));
    return;
  } catch {
  }
  try {
    const root = userStateRoot();
    if (!root) return;
    const dir = path9.join(paths ? userRepoDir(paths) ?? root : root, "errors");
    fs9.mkdirSync(dir, { recursive: true, mode: 448 });
    fs9.writeFileSync(path9.join(dir, name), record, { mode: 384 });
  } catch {
  }
}
function startFlush(paths, command) {
  const child = (0, import_node_child_process2.spawn)(command[0], command.slice(1), {
    cwd: paths.workTree,
    detached: true,
    stdio: "ignore",
    env: { ...process.env, AGENT_TRACK_BACKGROUND: "1" }
  });
  child.on("error", () => {
  });
  child.unref();
}
function flushRunning(paths) {
  try {
    const [pid, host] = fs9.readFileSync(path9.join(paths.trackingDir, "flush.lock"), "utf8").split(" ");
    return host === os3.hostname() && processAlive(Number(pid));
  } catch {
    return false;
  }
}
function mayWrite(paths) {
  try {
    adoptOwnership(paths.commonDir, paths.workTree);
    return true;
  } catch {
    return false;
  }
}
async function runHook(opts) {
  let paths = null;
  try {
    if (opts.input.trim() === "") throw new Error("empty payload");
    const payload = JSON.parse(opts.input);
    if (!payload || typeof payload !== "object" || Array.isArray(payload))
      throw new Error("payload is not an object");
    const cwd = typeof payload.cwd === "string" && fs9.existsSync(payload.cwd) ? payload.cwd : opts.cwd;
    const project = process.env.CLAUDE_PROJECT_DIR;
    paths = (project && fs9.existsSync(project) ? findRepo(project) : null) ?? findRepo(cwd);
    if (!paths) return;
    if (objectFormat(paths.commonDir) !== "sha1") return;
    if (!mayWrite(paths)) return;
    const config = await loadConfig(paths);
    const hookEvent = String(payload.hook_event_name ?? "");
    const start = hookEvent === "SessionStart";
    const head = start ? readHead(paths) : void 0;
    const now = () => new Date(Math.round(performance.timeOrigin)).toISOString();
    const codex = opts.agent === "codex" || opts.agent === "gemini";
    const adapterCtx = {
      now,
      newId: import_node_crypto6.randomUUID,
      head,
      process: start ? { pid: claudePid(), host: os3.hostname() } : void 0
    };
    const events = opts.agent === "codex" ? codexHookEvents(payload, adapterCtx) : opts.agent === "gemini" ? geminiHookEvents(payload, adapterCtx) : payloadToEvents(payload, {
      now,
      newId: import_node_crypto6.randomUUID,
      config,
      head,
      workTree: paths.workTree,
      claude: start ? { pid: claudePid(), host: os3.hostname() } : void 0
    });
    const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
    if (codex && !redacted.length) return;
    if ((start || hookEvent === "SessionEnd") && !codex) {
      try {
        ensureRawDir(paths);
        await convertRaw(paths, { waitMs: 2e3, config });
      } catch (e) {
        if (!isReadOnlyError(e)) logFailure(paths, "", e);
      }
    }
    let spooled;
    try {
      spooled = appendEvents(paths, String(payload.session_id), redacted);
    } catch (e) {
      if (!isReadOnlyError(e)) throw e;
      appendUserSpool(paths, String(payload.session_id), redacted);
      return;
    }
    const { file, size } = spooled;
    if (start && opts.trackCommand && !codex) {
      const target2 = injectionTarget(paths, payload, config, head?.branch ?? null);
      if (target2) {
        const r2 = (0, import_node_child_process2.spawnSync)(
          opts.trackCommand[0],
          [...opts.trackCommand.slice(1), "resume", "--session", target2, "--hook-output"],
          { cwd: paths.workTree, encoding: "utf8", timeout: 1e4, stdio: ["ignore", "pipe", "pipe"] }
        );
        if (r2.status === 0 && r2.stdout.startsWith("{"))
          process.stdout.write(`${withSystemMessage(r2.stdout, target2, String(payload.source ?? ""))}
`);
        else if (r2.status !== 0) throw new Error(`no handoff for ${target2}: ${r2.stderr || r2.error}`);
      }
    }
    if (!opts.flushCommand) return;
    if (FLUSH_EVENTS.has(hookEvent) || hookEvent === "AfterAgent" || // Gemini CLI's end of a turn
    !flushRunning(paths) && (unflushedLineCount(file, size, config.flush.everyEvents) >= config.flush.everyEvents || // events kept while .git was read-only: the repository is writable again, so they go now
    userSpoolPending(paths))) {
      const push = hookEvent === "SessionEnd" && config.tracking.pushOnSessionEnd && opts.trackCommand;
      startFlush(paths, push ? [...opts.trackCommand, "push", "--background"] : opts.flushCommand);
    }
  } catch (error) {
    logFailure(paths ?? findRepo(opts.cwd), opts.input, error);
  }
}
function readStdin() {
  return new Promise((resolve3) => {
    if (process.stdin.isTTY) return resolve3("");
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve3(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", () => resolve3(Buffer.concat(chunks).toString("utf8")));
  });
}

// cli/hook-main.ts
function main(bin) {
  const flushCommand = process.env.AGENT_TRACK_NO_FLUSH ? void 0 : [process.execPath, bin, "flush", "--background"];
  const at = process.argv.indexOf("--agent");
  const agent = at > 0 ? process.argv[at + 1] : void 0;
  readStdin().then(
    (input) => runHook({ input, cwd: process.cwd(), flushCommand, trackCommand: [process.execPath, bin], agent })
  ).catch(() => {
  }).finally(() => {
    process.exitCode = 0;
  });
}

// cli/bin.ts
var self = fs10.realpathSync(process.argv[1]);
var args = process.argv.slice(2);
var quick = !args.includes("--help") && !args.includes("-h");
if (args[0] === "hook" && quick) main(self);
else if (args[0] === "statusline" && quick) require(path10.join(path10.dirname(self), "statusline.cjs")).main();
else import((0, import_node_url.pathToFileURL)(path10.join(path10.dirname(self), "cli.js")).href);
