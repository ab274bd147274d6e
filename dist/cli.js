var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target2, all) => {
  for (var name in all)
    __defProp(target2, name, { get: all[name], enumerable: true });
};

// src/model/redact-allow.ts
function containsStopword(value) {
  stopwords ??= new Set(STOPWORDS_TEXT.split(" ").filter((w) => /^[a-z]{4,}$/.test(w)));
  const words = value.match(/[A-Z]?[a-z]{3,}|[A-Z]{4,}(?![a-z])/g);
  if (!words) return false;
  for (const w of words) if (w.length >= 4 && stopwords.has(w.toLowerCase())) return true;
  return false;
}
var PUBLIC_EXAMPLES, isPublicExample, STOPWORDS_TEXT, stopwords;
var init_redact_allow = __esm({
  "src/model/redact-allow.ts"() {
    "use strict";
    PUBLIC_EXAMPLES = /* @__PURE__ */ new Set([
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
    isPublicExample = (value) => PUBLIC_EXAMPLES.has(value);
    STOPWORDS_TEXT = "000000 _ec2_ aaaaaa about abstract academy acces account act- act. act_ action active actively activity adapter add- add-on add. add_ addon addres admin adobe advanced adventure agent agile air- air. air_ ajax akka alert alfred algorithm all- all. all_ alloy alpha amazon amqp analysi analytic analyzer android angular angularj animate animation another ansible answer ant- ant. ant_ any- any. any_ apache app- app. app_ apple arch archive archived arduino array art- art. art_ article asp- asp. asp_ asset async atom attention audio audit aura auth author authorize auto automated automatic awesome aws_ azure back backbone backend backup bar- bar. bar_ base based bash basic batch been beer behavior being benchmark best beta better big- big. big_ binary binding bit- bit. bit_ bitcoin block blog board book bookmark boost boot bootstrap bosh bot- bot. bot_ bower box- box. box_ boxen bracket branch bridge browser brunch buffer bug- bug. bug_ build builder building buildout buildpack built bundle busines but- but. but_ button cache caching cakephp calendar call camera campfire can- can. can_ canva captcha capture card carousel case cassandra cat- cat. cat_ category center cento challenge change changelog channel chart chat cheat check checker chef ches chinese chosen chrome ckeditor clas classe classic clean cli- cli. cli_ client clojure clone closure cloud club cluster cms- cms_ coco code coding coffee color combination combo command commander comment commit common community compas compiler complete component composer computer computing con- con. con_ concept conf config connect connector console contact container contao content contest context control convert converter conway' cookbook cookie cool copy cordova core couchbase couchdb countdown counter course craft crawler create creating creator credential crm- crm. crm_ cros crud csv- csv. csv_ cube cucumber cuda current currently custom daemon dark dart dash dashboard data database date day- day. day_ dead debian debug debugger deck define del- del. del_ delete demo deploy design designer desktop detection detector dev- dev. dev_ develop developer device devise diff digital directive directory discovery display django dns- dns_ doc- doc. doc_ docker docpad doctrine document doe- doe. doe_ dojo dom- dom. dom_ domain don't done dot- dot. dot_ dotfile download draft drag drill drive driven driver drop dropbox drupal dsl- dsl. dsl_ dynamic easy ecdsa eclipse edit editing edition editor element emac email embed embedded ember emitter emulator encoding endpoint engine english enhanced entity entry env_ episode erlang error espresso event evented example exchange exercise experiment expire exploit explorer export exporter expres ext- ext. ext_ extended extension external extra extractor fabric facebook factory fake fast feature feed fewfwef ffmpeg field file filter find finder firefox firmware first fish fix- fix_ flash flask flat flex flexible flickr flow fluent fluentd fluid folder font force foreman fork form format formatter forum foundry framework free friend friendly front-end frontend ftp- ftp. ftp_ fuel full fun- fun. fun_ func future gaia gallery game gateway gem- gem. gem_ gen- gen. gen_ general generator generic genetic get- get. get_ getenv getting ghost gist git- git. git_ github gitignore gitlab glas gmail gnome gnu- gnu. gnu_ goal golang gollum good google gpu- gpu. gpu_ gradle grail graph graphic great grid groovy group grunt guard gui- gui. gui_ guide guideline gulp gwt- gwt. gwt_ hack hackathon hacker hacking hadoop haml handler hardware has- has_ hash haskell have haxe hello help helper here hero heroku high hipchat history home homebrew homepage hook host hosting hot- hot. hot_ house how- how. how_ html http hub- hub. hub_ hubot human icon ide- ide. ide_ idea identity idiomatic image impact import important importer impres index infinite info injection inline input inside inspector instagram install installer instant intellij interface internet interview into intro ionic iphone ipython irc- irc_ iso- iso. iso_ issue jade jasmine java jbos jekyll jenkin jetbrains job- job. job_ joomla jpa- jpa. jpa_ jquery json just kafka karma kata kernel keyboard kindle kit- kit. kit_ kitchen knife koan kohana lab- lab. lab_ lambda lamp language laravel last latest latex launcher layer layout lazy ldap leaflet league learn learning led- led. led_ leetcode les- les. les_ level leveldb lib- lib. lib_ librarie library license life liferay light lightbox like line link linked linkedin linux lisp list lite little load loader local location lock log- log. log_ logger logging logic login logstash longer look love lua- lua. lua_ mac- mac. mac_ machine made magento magic mail make maker making man- man. man_ manage manager manifest manual map- map. map_ mapper mapping markdown markup master math matrix maven md5 mean media mediawiki meetup memcached memory menu merchant message messaging meta metadata meteor method metric micro middleman migration minecraft miner mini minimal mirror mit- mit. mit_ mobile mocha mock mod- mod. mod_ mode model modern modular module modx money mongo mongodb mongoid mongoose monitor monkey more motion moved movie mozilla mqtt mule multi multiple music mustache mvc- mvc. mvc_ mysql nagio name native need neo- neo. neo_ nest nested net- net. net_ nette network new- new. new_ next nginx ninja nlp- nlp. nlp_ node nodej nosql not- not. not_ note notebook notepad notice notifier now- now. now_ number oauth object objective obsolete ocaml octopres official old- old. old_ onboard online only open opencv opengl openshift openwrt option oracle org- org. org_ origin original orm- orm. orm_ osx- osx_ our- our. our_ out- out. out_ output over overview own- own. own_ pack package packet page panel paper paperclip para parallax parallel parse parser parsing particle party password patch path pattern payment paypal pdf- pdf. pdf_ pebble people perl personal phalcon phoenix phone phonegap photo php- php. php_ physic picker pipeline platform play player please plu- plu. plu_ plug-in plugin plupload png- png. png_ poker polyfill polymer pool pop- pop. pop_ popcorn popup port portable portal portfolio post power powered powerful prelude pretty preview principle print pro- pro. pro_ problem proc product profile profiler program progres project protocol prototype provider proxy public pull puppet pure purpose push pusher pyramid python quality query queue quick rabbitmq rack radio rail railscast random range raspberry rdf- rdf. rdf_ react reactive read reader readme ready real real-time reality realtime recipe recorder red- red. red_ reddit redi redmine reference refinery refresh registry related release remote rendering repo report request require required requirej research resource response resque rest restful resume reveal reverse review riak rich right ring robot role room router routing rpc- rpc. rpc_ rpg- rpg. rpg_ rspec ruby- ruby. ruby_ rule run- run. run_ runner running runtime rust rvm- rvm. rvm_ salt sample sandbox sas- sas. sas_ sbt- sbt. sbt_ scala scalable scanner schema scheme school science scraper scratch screen script scroll scs- scs. scs_ sdk- sdk. sdk_ sdl- sdl. sdl_ search secure security see- see. see_ seed select selector selenium semantic sencha send sentiment serie server service session set- set. set_ setting setup sha1 sha2 sha256 share shared sharing sheet shell shield shipping shop shopify shortener should show showcase side silex simple simulator single site skeleton sketch skin slack slide slider slim small smart smtp snake snapshot snippet soap social socket software solarized solr solution solver some soon source space spark spatial spec sphinx spine spotify spree spring sprite sql- sql. sql_ sqlite ssh- ssh. ssh_ stack staging standard stanford start started starter startup stat statamic state static statistic statsd statu steam step still stm- stm. stm_ storage store storm story strategy stream streaming string stripe structure studio study stuff style sublime sugar suite summary super support supported svg- svg. svg_ svn- svn. svn_ swagger swift switch switcher symfony symphony sync synopsi syntax system tab- tab. tab_ table tag- tag. tag_ talk target task tcp- tcp. tcp_ tdd- tdd. tdd_ team tech template term terminal testing tetri text textmate theme theory three thrift time timeline timer tiny tinymce tip- tip. tip_ title todo todomvc token tool toolbox toolkit top- top. top_ tornado touch tower tracker tracking traffic training transfer translate transport tree trello try- try. try_ tumblr tut- tut. tut_ tutorial tweet twig twitter type typo ubuntu uiview ultimate under unit unity universal unix update updated upgrade upload uploader uri- uri. uri_ url- url. url_ usage usb- usb. usb_ use- use. use_ used useful user using util utilitie utility vagrant validator value variou varnish version via- via. via_ video view viewer vim- vim. vim_ vimrc virtual vision visual vpn want warning watch watcher wave way- way. way_ weather web- web_ webapp webgl webhook webkit webrtc website websocket welcome what what' when where which why- why. why_ widget wifi wiki win- win. win_ window wip- wip. wip_ within without wizard word wordpres work worker workflow working workshop world wrapper write writer writing written www- www. www_ xamarin xcode xml- xml. xml_ xmpp xxxxxx yahoo yaml yandex yeoman yet- yet. yet_ yii- yii. yii_ youtube yui- yui. yui_ zend zero zip- zip. zip_ zsh- zsh. zsh_";
    stopwords = null;
  }
});

// src/model/redact-rules.ts
function variedEnough(s2) {
  const body = s2.replace(/^[A-Za-z]{1,12}[_.-]/, "");
  if (/(.)\1{7}/.test(body) || /(.{2,4})\1{3}/.test(body)) return false;
  if (/^[xX*0._-]+$/.test(body) || /x{6}|X{6}/.test(body)) return false;
  if (/EXAMPLE$|EXAMPLEKEY/.test(s2)) return false;
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
var B, E, b64, r, varied, exact, TOKEN_RULES, ALL_HINTS;
var init_redact_rules = __esm({
  "src/model/redact-rules.ts"() {
    "use strict";
    B = String.raw`(?<![A-Za-z0-9_])`;
    E = String.raw`(?![A-Za-z0-9_])`;
    b64 = "A-Za-z0-9+/";
    r = (kind, hints, source, flags = "", extra = {}) => {
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
    varied = { check: variedEnough };
    exact = { check: () => true };
    TOKEN_RULES = [
      // PEM / OpenSSH / PGP private keys (also JSON-escaped, with literal \n between lines)
      r(
        "private-key",
        ["private key"],
        String.raw`-----BEGIN[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,200000}?-----END[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s:,.\\-]{64,200000})`,
        "",
        { check: (s2) => /[A-Za-z0-9+/]{40}/.test(s2) }
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
        { check: (s2) => /\d/.test(s2) && !/x{4}|X{4}/.test(s2) }
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
        check: (s2) => variedEnough(s2) && /\d/.test(s2)
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
        check: (s2) => variedEnough(s2) && /\d/.test(s2.slice(3))
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
        check: (s2) => variedEnough(s2) && /\d/.test(s2.slice(4))
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
        check: (s2) => variedEnough(s2) && /[A-Z]/.test(s2) && /[a-z]/.test(s2)
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
        check: (s2) => variedEnough(s2) && /[a-f]/i.test(s2.slice(2)) && /\d/.test(s2)
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
          check: (s2) => variedEnough(s2) && /[A-Z]/.test(s2.slice(3)) && /[a-z]/.test(s2.slice(3))
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
    ALL_HINTS = [...new Set(TOKEN_RULES.flatMap((rule) => rule.hints))];
  }
});

// src/model/redact.ts
import { createHash } from "node:crypto";
function shannonEntropy(s2) {
  const counts = /* @__PURE__ */ new Map();
  for (const ch of s2) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n2 of counts.values()) {
    const p = n2 / s2.length;
    h -= p * Math.log2(p);
  }
  return h;
}
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
function wordSet(words, caseless = false) {
  const set = new Set(caseless ? words.map((w) => w.toLowerCase()) : words);
  return { test: (w) => set.has(caseless ? w.toLowerCase() : w) };
}
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
function caseBalanced(t) {
  let up = 0;
  let lo = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) up++;
    else if (c >= 97 && c <= 122) lo++;
  }
  const n2 = up + lo;
  return Math.min(up, lo) >= n2 / 2 - 1.75 * Math.sqrt(n2);
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
  const wordy = (t.match(/[a-z]{5,}/g) ?? []).reduce((n2, w) => n2 + w.length, 0);
  if (wordy / t.length > 0.4) return false;
  if (/^[A-Za-z]+(?:[-_][A-Za-z0-9]+)+$/.test(t) && !/\d{2}/.test(t)) return false;
  if (hasSequentialRun(t, 6) || isPlaceholder(t) || namedParts(t)) return false;
  if (knownPrefix(t)) return false;
  const threshold = Math.min(4, Math.log2(t.length) - 0.6);
  return shannonEntropy(t) >= threshold && !containsStopword(t);
}
function keyWords(key) {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}
function keyStrength(key) {
  let s2 = strengthCache.get(key);
  if (s2 === void 0) {
    s2 = judgeKey(key);
    if (strengthCache.size < 1e4) strengthCache.set(key, s2);
  }
  return s2;
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
function scanAssignments(text2, out2, cleared) {
  KEY_WORD.lastIndex = 0;
  let from = 0;
  for (let m = KEY_WORD.exec(text2); m; m = KEY_WORD.exec(text2)) {
    let ks = m.index;
    let ke = m.index + m[0].length;
    if (ks < from) continue;
    while (ks > 0 && ke - ks < 120 && KEY_CHAR.test(text2[ks - 1])) ks--;
    while (ke < text2.length && ke - ks < 120 && KEY_CHAR.test(text2[ke])) ke++;
    KEY_WORD.lastIndex = ke;
    from = ke;
    let key = text2.slice(ks, ke);
    const flag = key.startsWith("-");
    key = key.replace(/^[-$@.]+|[.$@-]+$/g, "");
    if (!key) continue;
    const strength = keyStrength(key);
    if (!strength) continue;
    if (text2[ks - 1] === "<" && text2[ke] === ">") {
      const close = text2.indexOf(`</${text2.slice(ks, ke)}>`, ke);
      if (close > 0 && close - ke < 4096) {
        const inner = text2.slice(ke + 1, close);
        const v = inner.trim();
        if (isSecretValue(v, strength, true, key)) {
          const s2 = ke + 1 + inner.indexOf(v);
          out2.push({ kind: "secret-assignment", start: s2, end: s2 + v.length });
        }
        continue;
      }
    }
    if (/key\s{0,4}=\s{0,4}\\?["']$/i.test(text2.slice(Math.max(0, ks - 12), ks))) {
      AFTER_XML_KEY_ATTR.lastIndex = ke;
      const a2 = AFTER_XML_KEY_ATTR.exec(text2);
      if (a2 && isSecretValue(a2[1], strength, true, key)) {
        const s2 = AFTER_XML_KEY_ATTR.lastIndex - a2[1].length - (a2[0].endsWith('"') || a2[0].endsWith("'") ? 1 : 0);
        const start = text2.lastIndexOf(a2[1], AFTER_XML_KEY_ATTR.lastIndex);
        out2.push({
          kind: "secret-assignment",
          start: start >= 0 ? start : s2,
          end: (start >= 0 ? start : s2) + a2[1].length
        });
        from = AFTER_XML_KEY_ATTR.lastIndex;
        KEY_WORD.lastIndex = from;
        continue;
      }
    }
    AFTER_KEY.lastIndex = ke;
    const a = AFTER_KEY.exec(text2);
    if (a) {
      const value = a[2] ?? a[3] ?? a[4] ?? a[5] ?? "";
      const quoted = a[5] === void 0;
      if (a[1].trim() === "," && !quoted) continue;
      if (a[1].trim() === "" && (a[4] !== void 0 || keyWords(key).length < 2 && !/^[A-Z][A-Z0-9_]*$/.test(key)))
        continue;
      if (!quoted && /^[A-Z][A-Za-z0-9_$]*$/.test(value) && /[(,{;][ \t\r\n]*$/.test(text2.slice(Math.max(0, ks - 40), ks)) && /^[ \t]*(?:[,;)=|&>[]|$)/m.test(text2.slice(AFTER_KEY.lastIndex, AFTER_KEY.lastIndex + 8)))
        continue;
      if (!isSecretValue(value, strength, quoted, key)) {
        if (PROVIDER_FORMATS.some(([k]) => k.test(key))) {
          const end = AFTER_KEY.lastIndex - (quoted ? 1 : 0);
          cleared.push([end - value.length, end]);
        }
      } else {
        const end = AFTER_KEY.lastIndex - (quoted ? a[0].endsWith('\\"') ? 2 : 1 : 0);
        const trimmed = value.replace(/\\$/, "");
        out2.push({
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
      const f = AFTER_FLAG.exec(text2);
      if (f && isSecretValue(f[1], strength, false, key)) {
        out2.push({
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
function scanCredentials(text2, lower, out2) {
  if (lower.includes("authorization")) {
    AUTH_HEADER.lastIndex = 0;
    for (let m = AUTH_HEADER.exec(text2); m; m = AUTH_HEADER.exec(text2)) {
      const v = m[1];
      if (isPlaceholder(v) || /^\.+$/.test(v)) continue;
      out2.push({ kind: "auth-header", start: m.index + m[0].length - v.length, end: m.index + m[0].length });
    }
  }
  if (text2.includes("://")) {
    URL_CREDENTIALS.lastIndex = 0;
    for (let m = URL_CREDENTIALS.exec(text2); m; m = URL_CREDENTIALS.exec(text2)) {
      const pw = m[2];
      if (isPlaceholder(pw) || /^(?:pass|password|pwd|secret)$/i.test(pw) || /^\$/.test(pw)) continue;
      const end = m.index + m[0].length - 1;
      out2.push({ kind: "url-password", start: end - pw.length, end });
    }
  }
  if (lower.includes("-u") || lower.includes("--user")) {
    CURL_USER.lastIndex = 0;
    for (let m = CURL_USER.exec(text2); m; m = CURL_USER.exec(text2)) {
      const [, user, pw] = m;
      const end = m.index + m[0].length - (/["']$/.test(m[0]) ? 1 : 0);
      if (user.startsWith("<") || pw.endsWith(">")) continue;
      if (pw && !isPlaceholder(pw) && !/^\$/.test(pw) && pw !== user)
        out2.push({ kind: "basic-auth", start: end - pw.length, end });
      else if (!pw && user.length >= 8 && !isPlaceholder(user) && /\d/.test(user) && /[A-Za-z]/.test(user))
        out2.push({ kind: "basic-auth", start: end - 1 - user.length, end: end - 1 });
    }
  }
}
function scanKubernetesSecret(text2, out2) {
  if (!K8S_SECRET.test(text2) || !/^[ \t]*(?:data|stringData):/m.test(text2)) return;
  K8S_DATA_VALUE.lastIndex = 0;
  for (let m = K8S_DATA_VALUE.exec(text2); m; m = K8S_DATA_VALUE.exec(text2)) {
    const v = m[2];
    if (v.length % 4 !== 0 || v.length < 12 || /^[a-z]+$/i.test(v) || /^\d+$/.test(v)) continue;
    out2.push({
      kind: "kubernetes-secret",
      start: m.index + m[1].length,
      end: m.index + m[1].length + v.length
    });
  }
}
function inUrl(text2, at) {
  const from = Math.max(0, at - 300);
  const before = text2.slice(from, at);
  const ws = Math.max(
    before.lastIndexOf(" "),
    before.lastIndexOf("\n"),
    before.lastIndexOf('"'),
    before.lastIndexOf("'")
  );
  return /:\/\/[^\s]*[/?=]$/.test(before.slice(ws + 1)) || /:\/\/[^\s]*\/[^\s]*$/.test(before.slice(ws + 1));
}
function namedByKey(text2, at) {
  const m = NAMED_BY_KEY.exec(text2.slice(Math.max(0, at - 300), at));
  if (!m) return false;
  const words = keyWords(m[1]);
  const last = words[words.length - 1] ?? "";
  return NOT_SECRET_LAST.test(last) || words.some((w) => NUMERIC_WORD.test(w) || NOT_SECRET_WORD.test(w));
}
function scanCutToken(text2, out2) {
  const m = TAIL_RUN.exec(text2.slice(-600));
  if (!m) return;
  const start = text2.length - m[0].length;
  if (out2.some((f) => f.end > start)) return;
  const lower = m[0].toLowerCase();
  const prefix = KNOWN_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix && m[0].length >= prefix.length + 4 && variedEnough(m[0]) && !isPlaceholder(m[0]))
    out2.push({ kind: "truncated-token", start, end: text2.length });
}
function runExcused(text2, at, run) {
  if (/^[ \t]*;/.test(text2.slice(at + run.length, at + run.length + 8)) && /(?:^|[\s;{(])[A-Za-z_$][\w$.]{0,80}[ \t]+=[ \t]+$/.test(text2.slice(Math.max(0, at - 100), at)))
    return true;
  if (/^[_.-]/.test(run) && /[A-Za-z0-9+/]={1,2}$/.test(text2.slice(Math.max(0, at - 3), at))) {
    let w = at;
    while (w > 0 && at - w < 8192 && /[A-Za-z0-9+/_.~=-]/.test(text2[w - 1])) w--;
    if (knownPrefix(text2.slice(w, at))) return true;
  }
  return false;
}
function scanEntropy(text2, out2, cleared) {
  const publicBlocks = [...cleared];
  if (text2.includes("-----BEGIN ")) {
    PUBLIC_BLOCK.lastIndex = 0;
    for (let m = PUBLIC_BLOCK.exec(text2); m; m = PUBLIC_BLOCK.exec(text2))
      publicBlocks.push([m.index, m.index + m[0].length]);
  }
  if (text2.includes("ENC[")) {
    SOPS_VALUE.lastIndex = 0;
    for (let m = SOPS_VALUE.exec(text2); m; m = SOPS_VALUE.exec(text2))
      publicBlocks.push([m.index, m.index + m[0].length]);
  }
  let dataEnd = -1;
  const inDataUri = (at) => {
    let w = at;
    while (w > 0 && /[A-Za-z0-9+/=%_.~-]/.test(text2[w - 1])) {
      w--;
      if (w < dataEnd) break;
    }
    const inside2 = w < dataEnd || /;base64,$/i.test(text2.slice(Math.max(0, w - 8), w));
    if (inside2) {
      dataEnd = at;
      while (dataEnd < text2.length && /[A-Za-z0-9+/=%_.~-]/.test(text2[dataEnd])) dataEnd++;
    }
    return inside2;
  };
  TOKEN_RUN.lastIndex = 0;
  for (let m = TOKEN_RUN.exec(text2); m; m = TOKEN_RUN.exec(text2)) {
    const run = m[0];
    if (publicBlocks.some(([a, z2]) => m.index < z2 && m.index + run.length > a)) continue;
    if (run.startsWith("...")) continue;
    if (/\.\.\.$/.test(text2.slice(Math.max(0, m.index - 16), m.index).replace(/[A-Za-z0-9+/]+$/, "")))
      continue;
    const before = text2.slice(Math.max(0, m.index - 12), m.index);
    if (/base64,$/i.test(before) || /;base64,/.test(run)) continue;
    if (/(?:sha-?(?:1|224|256|384|512)|md5)["']?[ \t]?[-:=][ \t]?["':]?$/i.test(before) || /^(?:sha(?:1|224|256|384|512)|md5)[-:]/i.test(run))
      continue;
    const parts = /^[A-Za-z0-9+/]+={0,2}$/.test(run) && /[+/]/.test(run) ? [run] : run.split(/(?=[./~])/);
    let offset = 0;
    let runNamed;
    for (const part of parts) {
      const t = part.replace(/^[./~]+/, "").replace(/[.~]+$/, "");
      const s2 = m.index + offset + part.indexOf(t);
      offset += part.length;
      if (t.length < 20) continue;
      if (t.length > 200) continue;
      if (!looksRandom(t)) continue;
      if (inUrl(text2, s2) || namedByKey(text2, s2)) continue;
      runNamed ??= s2 !== m.index && namedByKey(text2, m.index) || runExcused(text2, m.index, run) || inDataUri(m.index);
      if (runNamed) continue;
      out2.push({ kind: "high-entropy", start: s2, end: s2 + t.length });
    }
  }
}
function scanTokens(text2, lower, out2) {
  const seen = /* @__PURE__ */ new Set();
  if (text2.length <= SHORT_TEXT) {
    for (const h of ALL_HINTS) if (lower.includes(h)) seen.add(h);
  } else {
    const { re, within } = hintScanner();
    re.lastIndex = 0;
    for (let m = re.exec(text2); m; m = re.exec(text2)) {
      const h = m[0].toLowerCase();
      if (seen.has(h)) continue;
      for (const w of within.get(h) ?? [h]) seen.add(w);
    }
  }
  for (const rule of TOKEN_RULES) {
    if (rule.hints.length && !rule.hints.some((h) => seen.has(h))) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text2); m; m = rule.re.exec(text2)) {
      let secret = rule.group ? m[rule.group] : m[0];
      if (!secret) continue;
      let start = rule.group ? m.index + m[0].indexOf(secret) : m.index;
      if (rule.lead) {
        const lead = rule.lead.exec(text2.slice(Math.max(0, start - 64), start))?.[0];
        if (!lead) continue;
        start -= lead.length;
        secret = lead + secret;
      }
      if (rule.check && !rule.check(secret)) continue;
      out2.push({ kind: rule.kind, start, end: start + secret.length });
    }
  }
}
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
function merge(found2) {
  found2.sort((a, b) => a.start - b.start || b.end - a.end);
  const out2 = [];
  for (const f of found2) {
    const last = out2[out2.length - 1];
    if (last && f.start < last.end) last.end = Math.max(last.end, f.end);
    else out2.push({ ...f });
  }
  return out2;
}
function decodeEscapes(text2) {
  ESCAPE.lastIndex = 0;
  if (!ESCAPE.test(text2)) return null;
  ESCAPE.lastIndex = 0;
  const parts = [];
  const dStarts = [0];
  const rStarts = [0];
  let raw = 0;
  let dec = 0;
  for (let m = ESCAPE.exec(text2); m; m = ESCAPE.exec(text2)) {
    parts.push(text2.slice(raw, m.index), UNESCAPE[m[1]]);
    dec += m.index - raw;
    dStarts.push(dec, dec + 1);
    rStarts.push(m.index, m.index + 2);
    dec += 1;
    raw = m.index + 2;
  }
  parts.push(text2.slice(raw));
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
function findRaw(text2, opts) {
  const found2 = [];
  if (text2.length < 8) return found2;
  const lower = text2.toLowerCase();
  scanTokens(text2, lower, found2);
  scanCredentials(text2, lower, found2);
  const cleared = [];
  scanAssignments(text2, found2, cleared);
  if (lower.includes("secret")) scanKubernetesSecret(text2, found2);
  scanEntropy(text2, found2, cleared);
  if (opts.cut) scanCutToken(text2, found2);
  for (const source of opts.extraPatterns ?? []) {
    const re = userRegex(source);
    if (!re) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text2); m; m = re.exec(text2)) {
      if (m[0] === "") {
        re.lastIndex++;
        continue;
      }
      found2.push({ kind: "custom", start: m.index, end: m.index + m[0].length });
    }
  }
  return found2;
}
function configureRedaction(opts) {
  configured = { extraPatterns: [...opts.extraPatterns ?? []], allow: [...opts.allow ?? []] };
}
function findSecrets(text2, given = {}) {
  const opts = {
    ...given,
    extraPatterns: [.../* @__PURE__ */ new Set([...configured.extraPatterns ?? [], ...given.extraPatterns ?? []])],
    allow: [...configured.allow ?? [], ...given.allow ?? []]
  };
  let found2 = findRaw(text2, opts);
  if (opts.pass !== "fast") {
    const view = decodeEscapes(text2);
    if (view)
      for (const f of findRaw(view.decoded, opts))
        found2.push({
          kind: f.kind,
          start: view.rawAt(f.start),
          end: Math.min(text2.length, view.rawAt(f.end))
        });
  }
  found2 = merge(found2).filter(
    (f) => !text2.startsWith("[REDACTED:", f.start) && !text2.startsWith("REDACTED:", f.start) && // published in the provider's documentation or SDK: public already
    !isPublicExample(text2.slice(f.start, f.end))
  );
  const allow = (opts.allow ?? []).map(userRegex).filter((re) => re !== null);
  if (!allow.length) return found2;
  return found2.filter((f) => {
    const value = text2.slice(f.start, f.end);
    return !allow.some((re) => {
      re.lastIndex = 0;
      return re.test(value);
    });
  });
}
function redactText(text2, opts = {}) {
  const found2 = findSecrets(text2, opts);
  if (!found2.length) return text2;
  let out2 = "";
  let pos = 0;
  for (const f of found2) {
    out2 += text2.slice(pos, f.start) + mark(f.kind);
    pos = f.end;
  }
  return out2 + text2.slice(pos);
}
function secretField(key) {
  const s2 = keyStrength(key);
  return s2 === "strong";
}
function redactDeep(value, opts, key) {
  if (typeof value === "string") {
    if (key !== null && secretField(key) && isSecretValue(value, "strong", true, key))
      return mark("secret-field");
    return redactText(value, opts);
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, opts, null));
  if (value && typeof value === "object") {
    const out2 = {};
    const capped = value.truncated === true;
    for (const [k, v] of Object.entries(value))
      out2[k] = capped && k === "head" ? redactDeep(v, { ...opts, cut: true }, k) : redactDeep(v, opts, k);
    return out2;
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
function redactFileContent(file, content, opts = {}) {
  if (isEnvFile(file))
    content = content.replace(
      ENV_LINE,
      (m, head, value) => value.trim() === "" ? m : `${head}${mark("env")}`
    );
  return redactText(content, opts);
}
function redactedJson(value, indent = 0) {
  return indent ? `${JSON.stringify(value, null, indent)}
` : JSON.stringify(value);
}
function redactForStore(text2, opts = {}) {
  const full = { ...opts, pass: "full" };
  const out2 = redactText(text2, full);
  if (out2 === text2) return text2;
  if (!text2.startsWith("{")) return out2;
  const before = text2.split("\n");
  const after = out2.split("\n");
  if (before.length !== after.length) return out2;
  return after.map((line, i) => {
    if (line === before[i] || !line.startsWith("{")) return line;
    try {
      JSON.parse(line);
      return line;
    } catch {
      try {
        return JSON.stringify(redactValue(JSON.parse(before[i]), full));
      } catch {
        return line;
      }
    }
  }).join("\n");
}
function redactBytes(data, opts = {}) {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const text2 = buf.toString("utf8");
  if (Buffer.byteLength(text2) === buf.length && !text2.includes("\uFFFD")) {
    const clean3 = redactText(text2, { ...opts, pass: "full" });
    return clean3 === text2 ? data : Buffer.from(clean3, "utf8");
  }
  const latin = buf.toString("latin1");
  const clean2 = redactText(latin, { ...opts, pass: "full" });
  return clean2 === latin ? data : Buffer.from(clean2, "latin1");
}
function redactedLineRuns(text2, max) {
  const runs2 = [];
  let run = [];
  let bytes = 0;
  const lines = text2.split("\n");
  const last = lines.length - 1;
  for (const [i, raw] of lines.entries()) {
    if (i === last && raw === "") break;
    let line = raw;
    let n2 = Buffer.byteLength(line) + 1;
    if (n2 > max) {
      line = capRedactedLine(line, max - 1);
      n2 = Buffer.byteLength(line) + 1;
    }
    if (bytes + n2 > max && run.length) {
      runs2.push(`${run.join("\n")}
`);
      run = [];
      bytes = 0;
    }
    run.push(line);
    bytes += n2;
  }
  if (run.length) runs2.push(`${run.join("\n")}${text2.endsWith("\n") ? "\n" : ""}`);
  return runs2;
}
function capRedactedLine(line, max) {
  const wrap = { v: null };
  try {
    wrap.v = JSON.parse(line);
  } catch {
    return line;
  }
  const longest = () => {
    let best = null;
    const visit = (holder, key) => {
      const x = holder[key];
      if (typeof x === "string") {
        if (!best || x.length > best.len) best = { holder, key, len: x.length };
      } else if (x && typeof x === "object" && x.truncated !== true)
        for (const k of Object.keys(x))
          visit(x, Array.isArray(x) ? Number(k) : k);
    };
    visit(wrap, "v");
    return best;
  };
  for (let i = 0; i < 64 && Buffer.byteLength(JSON.stringify(wrap.v)) > max; i++) {
    const at = longest();
    if (!at || at.len <= 2048) break;
    const s2 = at.holder[at.key];
    at.holder[at.key] = {
      truncated: true,
      bytes: Buffer.byteLength(s2),
      sha256: createHash("sha256").update(s2).digest("hex"),
      head: s2.slice(0, 2048)
    };
  }
  return redactForStore(JSON.stringify(redactValue(wrap.v, { pass: "full" })));
}
var mark, MARK_RE, escapeRe, hintScan, SHORT_TEXT, UUID, PLACEHOLDER_WORDS, KNOWN_PREFIXES, knownPrefix, NOT_SECRET_LAST, NUMERIC_WORD, STRONG_WORD, STRONG_EXACT, NOT_SECRET_WORD, KEY_MODIFIER, ID_MODIFIER, strengthCache, PROVIDER_FORMATS, KEY_WORD, KEY_CHAR, AFTER_KEY, AFTER_FLAG, AFTER_XML_KEY_ATTR, AUTH_HEADER, URL_CREDENTIALS, CURL_USER, K8S_SECRET, K8S_DATA_VALUE, TOKEN_RUN, NAMED_BY_KEY, TAIL_RUN, PUBLIC_BLOCK, SOPS_VALUE, compiled, ESCAPE, UNESCAPE, configured, ENV_LINE;
var init_redact = __esm({
  "src/model/redact.ts"() {
    "use strict";
    init_redact_allow();
    init_redact_rules();
    mark = (kind) => `[REDACTED:${kind}]`;
    MARK_RE = /\[REDACTED:([a-z0-9-]{1,60})\]/g;
    escapeRe = (s2) => s2.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    hintScan = null;
    SHORT_TEXT = 16 * 1024;
    UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    PLACEHOLDER_WORDS = wordSet(
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
    KNOWN_PREFIXES = ALL_HINTS.filter((h) => h.length >= 4 && /^[a-z]/.test(h));
    knownPrefix = (t) => {
      const lower = t.slice(0, 24).toLowerCase();
      return KNOWN_PREFIXES.some((p) => lower.startsWith(p));
    };
    NOT_SECRET_LAST = wordSet([
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
    NUMERIC_WORD = wordSet([
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
    STRONG_WORD = /(?:password|passwd|passphrase|pwd|secret|token|apikey|credential|credentials|creds|privatekey|accesskey|secretkey|authkey|clientkey|signingkey|masterkey|encryptionkey)$/;
    STRONG_EXACT = wordSet([
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
    NOT_SECRET_WORD = wordSet([
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
    KEY_MODIFIER = wordSet([
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
    ID_MODIFIER = wordSet(["access", "client", "app", "api", "account", "tenant", "consumer", "key"]);
    strengthCache = /* @__PURE__ */ new Map();
    PROVIDER_FORMATS = [
      [/telegram/i, /^\d{5,16}:A[\w-]{34}$/],
      // Okta's API tokens: `00` and 40 characters (developer.okta.com, "Create an API token")
      [/okta/i, /^00[\w=-]{40}$/],
      // Cisco Meraki's API keys: 40 lower-case hex characters (gitleaks' cisco-meraki-api-key)
      [/meraki/i, /^[0-9a-f]{40}$/]
    ];
    KEY_WORD = /pass|pwd|pw|secret|token|key|auth|cred|sig|sas|pat|jwt|dsn|cookie|bearer|otp|id\b|_id|Id\b/gi;
    KEY_CHAR = /[A-Za-z0-9_.$@-]/;
    AFTER_KEY = new RegExp(
      String.raw`(?:\\?["'\x60])?\]?(?:\\?["'\x60])?` + // closing quote / bracket of the key
      String.raw`(?:[ \t]{0,4}:[ \t]{0,4}[A-Za-z][\w.<>[\]?|]{0,30}(?=[ \t]{0,4}=)|[ \t]{1,4}[A-Za-z][\w<>[\]]{0,30}(?=[ \t]{0,4}=[^=>]))?` + // a type
      String.raw`([ \t]{0,8}(?:=>|:{1,3}=|\?=|\+=|\|\|=|!==?|===?|=|:|,|->)[ \t]{0,8}|[ \t]{1,4}(?=\\?["'\x60]))` + // separator
      String.raw`(?:\\?"((?:[^"\\\n]|\\[^"\n]){1,2048})\\?"|\\?'([^'\n]{1,2048})'|\x60([^\x60\n]{1,2048})\x60|([^\s"'\x60,;)}\]<>&|]{1,2048}))`,
      "y"
    );
    AFTER_FLAG = /[ \t]{1,4}([^\s"'`|;&<>-][^\s"'`|;&<>]{0,2047})/y;
    AFTER_XML_KEY_ATTR = /\\?["']\s{1,8}value\s{0,4}=\s{0,4}\\?["']([^"'\n]{1,2048})\\?["']/y;
    AUTH_HEADER = /\b(?:proxy-)?authorization\\?["']?\s{0,4}[:=,]\s{0,4}\\?["'\x60]?\s{0,4}(?:bearer|basic|token|digest|bot|sso-key|apikey|key)\s{1,4}([A-Za-z0-9._~+/=:-]{6,4096})/gi;
    URL_CREDENTIALS = /:\/\/([^\s:/@"'`<>]{0,200}):([^\s@/"'`<>]{1,400})@(?=[A-Za-z0-9[])/g;
    CURL_USER = /(?:^|\s)(?:-u|--user)[ \t=]{1,4}["']?([^\s"':]{0,200}):([^\s"']{0,400})["']?/g;
    K8S_SECRET = /^[ \t]*kind:[ \t]*["']?Secret["']?[ \t]*$/im;
    K8S_DATA_VALUE = /^([ \t]*[\w.-]{1,253}:[ \t]{1,8}["']?)([A-Za-z0-9+/]{4,65536}={0,2})(?=["']?[ \t]*(?:$|[,}\]]))/gm;
    TOKEN_RUN = /[A-Za-z0-9+/_.~-]{20,}={0,2}/g;
    NAMED_BY_KEY = /([A-Za-z_$][\w$.-]{0,80})\\?["']?(?:[ \t]{0,4}[:=]|\\?["']?[ \t]{1,4}value[ \t]{0,4}=)[ \t]{0,4}\\?["']?[^\s"'<>=:;&|\\]{0,200}$/;
    TAIL_RUN = /[A-Za-z0-9_+/=.~-]{8,}$/;
    PUBLIC_BLOCK = /-----BEGIN ((?:PGP )?PUBLIC KEY(?: BLOCK)?|CERTIFICATE|CERTIFICATE REQUEST|PGP SIGNATURE|PGP MESSAGE|AGE ENCRYPTED FILE|SSH2 PUBLIC KEY)-----[\s\S]{0,200000}?-----END \1-----/g;
    SOPS_VALUE = /ENC\[(?:AES256_GCM|PGP|KMS|AGE),data:[A-Za-z0-9+/=]{0,100000},iv:[A-Za-z0-9+/=]{0,200},tag:[A-Za-z0-9+/=]{0,200},type:[a-z]{1,10}\]/g;
    compiled = /* @__PURE__ */ new Map();
    ESCAPE = /\\([nrt"\\/])/g;
    UNESCAPE = { n: "\n", r: "\r", t: "	", '"': '"', "\\": "\\", "/": "/" };
    configured = {};
    ENV_LINE = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.*)$/gm;
  }
});

// src/model/attribution.ts
import { createHash as createHash2 } from "node:crypto";
function addedLines(diff) {
  const plus = /* @__PURE__ */ new Map();
  const minus = /* @__PURE__ */ new Map();
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ") || line.startsWith("--- ") || line.startsWith("@@")) continue;
    if (line.startsWith("+")) {
      const text2 = line.slice(1);
      const k = normaliseLine(text2);
      const list = plus.get(k);
      if (list) list.push(text2);
      else plus.set(k, [text2]);
    } else if (line.startsWith("-")) {
      const k = normaliseLine(line.slice(1));
      minus.set(k, (minus.get(k) ?? 0) + 1);
    }
  }
  const out2 = [];
  for (const [k, list] of plus) out2.push(...list.slice(Math.min(list.length, minus.get(k) ?? 0)));
  return out2;
}
function attributeLines(lines, changes) {
  const byHash = /* @__PURE__ */ new Map();
  for (const c of changes)
    for (const h of new Set(c.hashes)) {
      const list = byHash.get(h);
      if (list) list.push(c);
      else byHash.set(h, [c]);
    }
  for (const list of byHash.values()) list.sort((a, b) => b.ts.localeCompare(a.ts));
  const hashes = lines.map((l) => lineHash(l.text));
  const trivial = lines.map((l) => isTrivialLine(l.text));
  const candidate = (i) => {
    const l = lines[i];
    for (const c of byHash.get(hashes[i]) ?? []) {
      if (l.authorTime !== null && l.authorTime + CLOCK_SLACK_MS < Date.parse(c.ts)) continue;
      return c;
    }
    return null;
  };
  const direct = lines.map((_, i) => trivial[i] ? null : candidate(i));
  const out2 = [];
  for (let i = 0; i < lines.length; i++) {
    let change = direct[i];
    if (trivial[i]) {
      const options = new Set((byHash.get(hashes[i]) ?? []).map((c) => c.id));
      const near = (step) => {
        for (let j = i + step; j >= 0 && j < lines.length; j += step) if (!trivial[j]) return direct[j];
        return null;
      };
      const up = near(-1);
      const down = near(1);
      const latest = (byHash.get(hashes[i]) ?? [])[0] ?? null;
      change = up && options.has(up.id) ? up : down && options.has(down.id) ? down : up || down ? latest : null;
      if (change && lines[i].authorTime !== null && lines[i].authorTime + CLOCK_SLACK_MS < Date.parse(change.ts))
        change = null;
    }
    const commit = lines[i].commit;
    out2.push({
      line: lines[i].line,
      kind: change ? "agent" : commit ? "human" : "unknown",
      change,
      commit
    });
  }
  return out2;
}
function shellWrites(command) {
  const targets = [];
  const lines = [];
  const unquote = (t) => t.replace(/^(['"])(.*)\1$/, "$2");
  const target2 = (t) => {
    const p = unquote(t);
    if (p && !p.startsWith("&") && p !== "/dev/null" && !p.startsWith("/dev/") && !targets.includes(p))
      targets.push(p);
  };
  let rest = command.replace(
    /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1[^\n]*\n([\s\S]*?)\n\s*\2(?=\s|$)/g,
    (all, _q, _tag, body) => {
      lines.push(...body.split("\n"));
      return all.slice(0, all.indexOf("\n"));
    }
  );
  for (const m of rest.matchAll(/(?:^|[^0-9&<>])>>?\s*("[^"]*"|'[^']*'|[^\s;&|()<>]+)/g)) target2(m[1]);
  for (const m of rest.matchAll(/\btee\s+((?:-[a-z]+\s+)*)("[^"]*"|'[^']*'|[^\s;&|()<>]+)/g)) target2(m[2]);
  rest = rest.replace(/<<-?[^\n]*/g, "");
  for (const m of rest.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"/g)) {
    const s2 = m[1] ?? m[2].replace(/\\(["\\$`])/g, "$1");
    lines.push(...s2.split(/\\n|\n/));
  }
  return { targets, lines: lines.filter((l) => normaliseLine(l) !== "") };
}
var normaliseLine, lineHash, isTrivialLine, CLOCK_SLACK_MS;
var init_attribution = __esm({
  "src/model/attribution.ts"() {
    "use strict";
    normaliseLine = (line) => line.replace(/\r$/, "").trim().replace(/\s+/g, " ");
    lineHash = (line) => createHash2("sha1").update(normaliseLine(line)).digest("hex").slice(0, 16);
    isTrivialLine = (line) => !/[\p{L}\p{N}]/u.test(line);
    CLOCK_SLACK_MS = 2e3;
  }
});

// src/model/canonical.ts
import { createHash as createHash3 } from "node:crypto";
function errorOutcome(text2) {
  const t = text2.trimStart().replace(/^<tool_use_error>\s*/, "").replace(/^Error: /, "");
  if (t.startsWith("The user doesn't want to proceed with this tool use") || t.startsWith("The user does not want to proceed") || t.startsWith("User rejected tool use") || t.startsWith("The user doesn't want to take this action"))
    return "rejected";
  if (t.startsWith("[Request interrupted by user")) return "interrupted";
  if (t.startsWith("Sibling tool call errored") || t.startsWith("Cancelled: parallel tool call"))
    return "cascaded";
  if (/^Permission to use \S+ (with command [\s\S]* )?has been denied/.test(t) || t.startsWith("Permission for this action has been denied") || t.startsWith("Permission for this action was denied") || /^Claude requested permissions? to [\s\S]{0,400}?, but you haven't granted it yet/.test(t) || t.startsWith("This command requires approval") || t.startsWith("Your organization requires approval for this tool") || /^This Bash command contains multiple operations\. The following part requires approval/.test(t) || /^\S[^\n]{0,400}' was blocked\. For security, Claude Code may only /.test(t))
    return "denied";
  return "failed";
}
function toolOutcome(e) {
  if (e.outcome === "success") return "success";
  if (e.interrupted === true || e.outcome === "interrupted") return "interrupted";
  if (typeof e.outcome === "string" && e.outcome !== "failed" && TOOL_OUTCOMES.includes(e.outcome))
    return e.outcome;
  if (e.outcome === void 0 && e.success !== false) return "success";
  return typeof e.error === "string" ? errorOutcome(e.error) : "failed";
}
function canonicalEvent(e, agentTypes = {}) {
  const agentType = e.agent === "main" ? "main" : e.agentType || agentTypes[e.agent];
  const c = agentType && agentType !== e.agentType ? { ...e, agentType } : e;
  if (c.type === "tool_call") {
    const outcome2 = toolOutcome(c);
    return [c.outcome === outcome2 ? c : { ...c, outcome: outcome2 }];
  }
  if (c.type !== "error") return [c];
  const outcome = errorOutcome(String(c.message ?? c.error ?? ""));
  const out2 = [];
  const useId = typeof c.toolUseId === "string" ? c.toolUseId : null;
  if (useId && c.source === "transcript")
    out2.push({
      id: toolCallId(c.session, c.agent, useId),
      ts: c.ts,
      session: c.session,
      agent: c.agent,
      ...agentType ? { agentType } : {},
      type: "tool_call",
      source: "transcript",
      toolUseId: useId,
      tool: c.tool ?? "unknown",
      input: c.input ?? null,
      success: false,
      outcome,
      error: c.message ?? null,
      durationMs: null
    });
  if (outcome === "failed") out2.push(c.outcome === outcome ? c : { ...c, outcome });
  return out2;
}
var derivedId, toolCallId, toolStartId, toolErrorId, fileChangeId, usageKey, usageId, TOOL_OUTCOMES;
var init_canonical = __esm({
  "src/model/canonical.ts"() {
    "use strict";
    derivedId = (kind, session, key) => `${kind}-${createHash3("sha1").update(`${session}\0${key}`).digest("hex").slice(0, 32)}`;
    toolCallId = (session, agent, toolUseId) => derivedId("tool_call", session, `${agent}:${toolUseId}`);
    toolStartId = (session, agent, toolUseId) => derivedId("tool_start", session, `${agent}:${toolUseId}`);
    toolErrorId = (session, toolUseId) => derivedId("e", session, toolUseId);
    fileChangeId = (session, agent, toolUseId) => derivedId("file_change", session, `${agent}:${toolUseId}`);
    usageKey = (messageId, requestId) => `${messageId}:${requestId ?? ""}`;
    usageId = (session, key) => derivedId("u", session, key);
    TOOL_OUTCOMES = [
      "success",
      "failed",
      "rejected",
      "denied",
      "interrupted",
      "cascaded"
    ];
  }
});

// src/store/owner.ts
import { spawnSync } from "node:child_process";
import * as fs3 from "node:fs";
import * as path3 from "node:path";
function adoptOwnership(commonDir, workTree) {
  const known = decided.get(commonDir);
  if (known !== void 0) {
    target = known;
    return;
  }
  const uid = process.getuid?.();
  let st;
  try {
    st = fs3.statSync(commonDir);
  } catch {
    return;
  }
  if (uid === void 0 || st.uid === uid) {
    decided.set(commonDir, null);
    target = null;
    return;
  }
  const r2 = spawnSync("git", ["rev-parse", "--git-common-dir"], {
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
    fs3.chownSync(file, target.uid, target.gid);
  } catch {
  }
}
function mkdirOwned(dir) {
  const first = fs3.mkdirSync(dir, { recursive: true });
  if (!target || !first) return;
  for (let d = dir; ; d = path3.dirname(d)) {
    own(d);
    if (d === first || path3.dirname(d) === d) break;
  }
}
function writeFileOwned(file, data, mode) {
  mkdirOwned(path3.dirname(file));
  fs3.writeFileSync(file, data, mode === void 0 ? void 0 : { mode });
  own(file);
}
function ownTree(dir) {
  if (!target) return;
  const me2 = process.getuid?.();
  const visit = (p) => {
    let st;
    try {
      st = fs3.lstatSync(p);
    } catch {
      return;
    }
    if (st.uid === me2) {
      try {
        fs3.lchownSync(p, target.uid, target.gid);
      } catch {
      }
    }
    if (st.isDirectory()) for (const name of fs3.readdirSync(p)) visit(path3.join(p, name));
  };
  visit(dir);
}
function giveBackToOwner(commonDir, sinceMs) {
  if (!target) return 0;
  const t = target;
  const me2 = process.getuid?.();
  const since = sinceMs - 2e3;
  let given = 0;
  const chown = (p, st) => {
    if (st.uid !== me2) return;
    try {
      fs3.lchownSync(p, t.uid, t.gid);
      given++;
    } catch {
    }
  };
  const visit = (dir, st, depth) => {
    chown(dir, st);
    const changed = st.mtimeMs >= since || st.uid === me2;
    const leaf = /[/\\]objects[/\\][0-9a-f]{2}$/.test(dir);
    if (leaf && !changed) return;
    let entries;
    try {
      entries = fs3.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path3.join(dir, e.name);
      if (depth === 0 && (e.name === "agent-tracking" || e.name === "modules")) continue;
      if (!e.isDirectory() && !changed) continue;
      let est;
      try {
        est = fs3.lstatSync(p);
      } catch {
        continue;
      }
      if (e.isDirectory() && depth < 16) visit(p, est, depth + 1);
      else chown(p, est);
    }
  };
  try {
    visit(commonDir, fs3.lstatSync(commonDir), 0);
  } catch {
  }
  return given;
}
var target, decided, DubiousOwnershipError;
var init_owner = __esm({
  "src/store/owner.ts"() {
    "use strict";
    target = null;
    decided = /* @__PURE__ */ new Map();
    DubiousOwnershipError = class extends Error {
      constructor(dir) {
        super(
          `${dir} is owned by another user and git's safe.directory does not allow it: nothing recorded (git config --global --add safe.directory ${dir})`
        );
      }
    };
  }
});

// src/store/fsutil.ts
import { randomBytes } from "node:crypto";
import * as fs4 from "node:fs";
import * as path4 from "node:path";
function writeOnce(fd, buf, offset, length) {
  if (budget !== null) {
    if (budget <= 0) throw enospc();
    const n2 = fs4.writeSync(fd, buf, offset, Math.min(length, budget), null);
    budget -= n2;
    return n2;
  }
  return fs4.writeSync(fd, buf, offset, length, null);
}
function writeFull(fd, buf) {
  let done2 = 0;
  while (done2 < buf.length) {
    const n2 = writeOnce(fd, buf, done2, buf.length - done2);
    if (n2 <= 0) throw enospc();
    done2 += n2;
  }
}
function writeFileDurable(file, data, opts = {}) {
  const dir = path4.dirname(file);
  const chunks = typeof data === "string" ? [Buffer.from(data, "utf8")] : Array.isArray(data) ? data : [data];
  for (let attempt = 0; ; attempt++) {
    const tmp = path4.join(dir, tmpName(opts.tmpPrefix ?? `.${path4.basename(file)}.tmp-`));
    let fd = null;
    try {
      try {
        fd = fs4.openSync(tmp, "wx", opts.mode ?? 420);
      } catch (e) {
        if (!isENOENT(e)) throw e;
        mkdirOwned(dir);
        fd = fs4.openSync(tmp, "wx", opts.mode ?? 420);
      }
      for (const c of chunks) writeFull(fd, c);
      if (opts.fsync !== false) fs4.fsyncSync(fd);
      fs4.closeSync(fd);
      fd = null;
      own(tmp);
      fs4.renameSync(tmp, file);
      return;
    } catch (e) {
      if (fd !== null) {
        try {
          fs4.closeSync(fd);
        } catch {
        }
      }
      try {
        fs4.unlinkSync(tmp);
      } catch {
      }
      if (isENOENT(e) && attempt < 5) continue;
      throw e;
    }
  }
}
function appendWhole(fd, data) {
  let n2 = 0;
  let error = null;
  try {
    n2 = writeOnce(fd, data, 0, data.length);
    if (n2 === data.length) return;
  } catch (e) {
    error = e;
  }
  if (n2 > 0) {
    try {
      const size2 = fs4.fstatSync(fd).size;
      const tail = Buffer.allocUnsafe(n2);
      if (size2 >= n2 && fs4.readSync(fd, tail, 0, n2, size2 - n2) === n2 && tail.equals(data.subarray(0, n2)))
        fs4.ftruncateSync(fd, size2 - n2);
    } catch {
    }
  }
  throw error ?? enospc();
}
var budget, enospc, tmpCounter, tmpName, isENOENT;
var init_fsutil = __esm({
  "src/store/fsutil.ts"() {
    "use strict";
    init_owner();
    budget = (() => {
      const v = Number(process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER);
      return process.env.AGENT_TRACK_FAULT_ENOSPC_AFTER && Number.isFinite(v) && v >= 0 ? v : null;
    })();
    enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
    tmpCounter = 0;
    tmpName = (prefix) => `${prefix}${process.pid.toString(36)}${(tmpCounter++).toString(36)}${randomBytes(3).toString("hex")}`;
    isENOENT = (e) => e.code === "ENOENT";
  }
});

// src/store/attribution.ts
import * as fs5 from "node:fs";
import * as path5 from "node:path";
function readJson(file) {
  try {
    return JSON.parse(fs5.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}
function changeOf(e, agentTypes) {
  if (e.type !== "file_change" || typeof e.path !== "string" || typeof e.diff !== "string") return null;
  const [c] = canonicalEvent(e, agentTypes);
  return {
    id: e.id,
    session: e.session,
    agent: e.agent,
    agentType: c?.agentType ?? null,
    tool: null,
    toolUseId: typeof e.toolUseId === "string" ? e.toolUseId : null,
    ts: e.ts,
    path: e.path,
    operation: typeof e.operation === "string" ? e.operation : "edit",
    hashes: addedLines(e.diff).map(lineHash)
  };
}
function addEvents(file, events, agentTypes, workTree) {
  const have = new Set(file.changes.map((c) => c.id));
  for (const e of events) {
    if (e.type === "tool_call" && typeof e.toolUseId === "string" && typeof e.tool === "string")
      file.tools[e.toolUseId] = e.tool;
    if (e.type === "usage" && typeof e.model === "string" && e.model !== "unknown")
      file.models[e.agent] = e.model;
    if (e.type === "prompt" && typeof e.text === "string" && !file.prompts.some((p) => p.ts === e.ts))
      file.prompts.push({ ts: e.ts, text: e.text.slice(0, PROMPT_CHARS) });
    if (e.type === "tool_call" && e.tool === "Bash" && e.outcome !== "failed" && e.success !== false) {
      const command = e.input?.command;
      if (typeof command === "string") {
        const { targets, lines } = shellWrites(command);
        const hashes = lines.map(lineHash);
        for (const t of hashes.length ? targets : []) {
          const id = `${e.id}:${t}`;
          const rel2 = path5.isAbsolute(t) ? path5.relative(workTree, t).split(path5.sep).join("/") : path5.posix.normalize(t);
          if (have.has(id) || rel2.startsWith("..")) continue;
          const [c2] = canonicalEvent(e, agentTypes);
          file.changes.push({
            id,
            session: e.session,
            agent: e.agent,
            agentType: c2?.agentType ?? null,
            tool: "Bash",
            toolUseId: typeof e.toolUseId === "string" ? e.toolUseId : null,
            ts: e.ts,
            path: rel2,
            operation: "bash",
            hashes
          });
          have.add(id);
        }
      }
    }
    if (e.type !== "file_change" || have.has(e.id)) continue;
    const c = changeOf(e, agentTypes);
    if (c) {
      file.changes.push(c);
      have.add(e.id);
    }
  }
}
function tryWrite(file, data) {
  try {
    writeFileDurable(file, data, { fsync: false });
    return true;
  } catch {
    return false;
  }
}
async function syncIndex(paths, branch) {
  const result = { sessions: 0, segmentsRead: 0, changes: 0, rebuilt: 0 };
  const files = /* @__PURE__ */ new Map();
  const manifest = readJson(manifestFile(paths));
  const sessions = await branch.rawSessions();
  const seenTip = manifest?.version === VERSION && manifest.tip === branch.tip;
  try {
    mkdirOwned(path5.join(attributionDir(paths), "sessions"));
  } catch {
  }
  let written = true;
  for (const summary of sessions) {
    const target2 = sessionFile(paths, summary.session);
    let file = readJson(target2);
    if (file?.version === VERSION && file.dir === summary.dir && (seenTip || file.events === summary.events)) {
      files.set(summary.session, file);
      continue;
    }
    result.sessions++;
    const segs = await branch.segments(summary);
    const oidOf = new Map(segs.map((s2) => [s2.path, s2.oid]));
    const stale = !file || file.version !== VERSION || file.dir !== summary.dir || Object.entries(file.segments).some(([name, oid]) => oidOf.get(name) !== oid);
    if (stale) {
      if (file) result.rebuilt++;
      file = {
        version: VERSION,
        session: summary.session,
        dir: summary.dir,
        segments: {},
        changes: [],
        tools: {},
        prompts: [],
        models: {}
      };
    }
    const built = file;
    for (const seg of segs.filter((s2) => built.segments[s2.path] !== s2.oid)) {
      addEvents(
        built,
        await branch.segmentEvents(summary, seg.path),
        summary.agentTypes ?? {},
        paths.workTree
      );
      built.segments[seg.path] = seg.oid;
      result.segmentsRead++;
    }
    built.events = summary.events;
    result.changes += built.changes.length;
    files.set(summary.session, built);
    written = tryWrite(target2, JSON.stringify(built)) && written;
  }
  if (written && !seenTip)
    tryWrite(manifestFile(paths), JSON.stringify({ version: VERSION, tip: branch.tip }));
  return { result, files };
}
async function updateAttributionIndex(paths, branch) {
  return (await syncIndex(paths, branch)).result;
}
async function recordedChanges(paths, branch) {
  const { files } = await syncIndex(paths, branch);
  const out2 = [];
  for (const s2 of await branch.rawSessions()) {
    const file = files.get(s2.session);
    if (!file) continue;
    for (const c of file.changes) {
      const agentType = c.agentType ?? (c.agent === "main" ? "main" : s2.agentTypes?.[c.agent] ?? null);
      const tool = c.toolUseId && file.tools[c.toolUseId] || toolOfOperation(c.operation);
      let prompt = null;
      for (const p of file.prompts ?? []) if (p.ts <= c.ts && (!prompt || p.ts >= prompt.ts)) prompt = p;
      out2.push({
        ...c,
        agentType,
        tool,
        prompt: prompt?.text ?? null,
        model: file.models?.[c.agent] ?? null
      });
    }
  }
  return out2;
}
var VERSION, PROMPT_CHARS, attributionDir, sessionFile, manifestFile, toolOfOperation;
var init_attribution2 = __esm({
  "src/store/attribution.ts"() {
    "use strict";
    init_attribution();
    init_canonical();
    init_fsutil();
    init_owner();
    VERSION = 1;
    PROMPT_CHARS = 2e3;
    attributionDir = (paths) => path5.join(paths.trackingDir, "attribution");
    sessionFile = (paths, session) => path5.join(attributionDir(paths), "sessions", `${encodeURIComponent(session)}.json`);
    manifestFile = (paths) => path5.join(attributionDir(paths), "index.json");
    toolOfOperation = (op) => op === "create" || op === "update" ? "Write" : op === "notebook" ? "NotebookEdit" : op === "bash" ? "Bash" : "Edit";
  }
});

// src/model/config.ts
function pricingOf(raw) {
  const out2 = {};
  if (!isObj(raw)) return out2;
  for (const [model, v] of Object.entries(raw)) {
    if (!isObj(v)) continue;
    const input = price(v.input);
    const output = price(v.output);
    if (input === void 0 || output === void 0) continue;
    out2[model] = { input, output };
    for (const k of ["cacheRead", "cacheWrite5m", "cacheWrite1h"]) {
      const x = price(v[k]);
      if (x !== void 0) out2[model][k] = x;
    }
  }
  return out2;
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
var DEFAULT_CONFIG, positiveOrNull, strOrNull, nonNegInt, isObj, posInt, price, CONFIG_FILE, BLOB_CAP_BYTES, LIMIT_CAP_BYTES, CONFIG_TEMPLATE;
var init_config = __esm({
  "src/model/config.ts"() {
    "use strict";
    DEFAULT_CONFIG = {
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
    positiveOrNull = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : null;
    strOrNull = (v) => typeof v === "string" && v.trim() ? v.trim() : null;
    nonNegInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;
    isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
    posInt = (v, d) => typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : d;
    price = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : void 0;
    CONFIG_FILE = ".agent-tracking.yml";
    BLOB_CAP_BYTES = 1e7;
    LIMIT_CAP_BYTES = 8 * 1024 * 1024;
    CONFIG_TEMPLATE = `# subagent-tracking configuration (https://www.npmjs.com/package/subagent-tracking)
# Every key is optional; the values shown are the defaults.

# The phase (milestone, sprint) that new sessions are recorded under.
phase: phase-1

# Automatic snapshots for recovery: every N subagent runs or N tokens, whichever comes first.
snapshots:
  everyAgents: 10
  everyTokens: 20000

# The hook appends to a spool; a background flush commits the spool to the agent-tracking branch
# on SubagentStop, Stop, PreCompact, SessionEnd and after this many unflushed events.
flush:
  everyEvents: 50

# Size caps: tool outputs above toolOutputBytes are cut (their length and sha256 are kept);
# file contents above fileContentBytes are not stored.
limits:
  toolOutputBytes: 32768
  fileContentBytes: 262144

# Secrets are redacted before anything is written: about 100 documented token formats (cloud,
# source hosts, AI, payment, chat...), private keys, JWTs, credentials in URLs, headers and curl,
# secret-named assignments in any common syntax, .env values, random-looking strings.
# extraPatterns: your own regular expressions; each match becomes [REDACTED:custom].
# allow: regular expressions for false positives; a finding whose text matches one is kept.
# \`agent-track redactions\` lists what was redacted where (never the value).
redaction:
  extraPatterns: []
  allow: []

# Prices in USD per million tokens, for a model the built-in table (from @pydantic/genai-prices)
# lacks, or a negotiated price: model id or prefix -> input, output (cacheRead, cacheWrite5m,
# cacheWrite1h default to 0.1x, 1.25x and 2x input). Costs are list-price estimates.
pricing: {}
#  claude-opus-4-7: { input: 5, output: 25 }

# Recovery: the handoff a new session gets after a crash, a compaction or --resume.
recovery:
  handoffBudget: 2000        # budget, counted with Claude's tokenizer
  injectOnStartup: true      # on a plain start, inject the handoff when the branch's last session crashed
  crashedAfterMinutes: 30    # no SessionEnd and silent this long: crashed (when its process cannot be checked)

# Team sync: \`agent-track push\` / \`pull\` exchange the agent-tracking branch with this remote.
# A remote name or any git URL: point it at a private repository to keep a public project's agent
# history private (\`push\` carries everything over from the previous remote).
tracking:
  remote: origin
  pushOnSessionEnd: false    # push in the background when a session ends

# Budgets in USD (list-price estimates): \`agent-track statusline\` warns once this session's cost
# or the current phase's passes one. Nothing is ever blocked.
budget:
  session:                   # e.g. 5
  phase:                     # e.g. 100

# Cloud tiers. Drive keeps the current phase and \`keep\` before it (\`agent-track backup\`); S3 Glacier
# Deep Archive keeps every phase more than \`keep\` behind the current one, forever, as Parquet and
# gzipped JSONL, and prunes it from the branch tip once verified (\`agent-track archive\`).
# Credentials come from the environment only (AWS's standard chain; Drive: see \`agent-track auth drive\`).
archive:
  bucket:                    # an S3 bucket (or --bucket); AWS_ENDPOINT_URL for MinIO, R2 and tests
  prefix: agent-tracking
  keep: 2
  storageClass: DEEP_ARCHIVE
  lake: false                # true: also export the current phases (archive --lake), one prefix per organisation
  repo:                      # the repo= key as owner/name; default: from the remote's URL
  # after a verified archive, give the branch a new root so clones stop downloading archived phases
  # (\`agent-track compact\`; default: true when a bucket is set)
  compact:
backup:
  driveFolderId:             # default: a folder named agent-tracking in My Drive
  sharedDriveId:             # required with a service account (it has no storage quota of its own)
  keep: 1

# Line attribution (\`agent-track blame\`, \`why\`, \`log\`). trailers: add \`Agent-Session\` and
# \`Agent-Lines: 73% (146/200)\` to commit messages, from the prepare-commit-msg hook that
# \`agent-track init --commit-trailers\` installs (never installed otherwise).
attribution:
  trailers: false
`;
  }
});

// src/store/config.ts
import * as fs6 from "node:fs";
import * as path6 from "node:path";
async function loadConfig(paths) {
  const file = path6.join(paths.workTree, CONFIG_FILE);
  let st;
  try {
    st = fs6.statSync(file);
  } catch {
    configureRedaction(DEFAULT_CONFIG.redaction);
    return DEFAULT_CONFIG;
  }
  const key = `${st.size}:${st.mtimeMs}`;
  const cacheFile = path6.join(paths.trackingDir, "config-cache.json");
  try {
    const cached = JSON.parse(fs6.readFileSync(cacheFile, "utf8"));
    if (cached.key === key && cached.file === file) {
      const config2 = normalizeConfig(cached.config);
      configureRedaction(config2.redaction);
      return config2;
    }
  } catch {
  }
  const { parse: parse2 } = await import("yaml");
  let config;
  try {
    config = normalizeConfig(parse2(fs6.readFileSync(file, "utf8")));
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
function setConfigPhase(paths, phase2) {
  const file = path6.join(paths.workTree, CONFIG_FILE);
  let text2;
  try {
    text2 = fs6.readFileSync(file, "utf8");
  } catch {
    return false;
  }
  const re = /^phase:[ \t]*([^\s#]*)([ \t]*(#.*)?)$/m;
  const m = re.exec(text2);
  if (!m || m[1] === phase2) return false;
  fs6.writeFileSync(file, text2.replace(re, `phase: ${phase2}$2`));
  return true;
}
var init_config2 = __esm({
  "src/store/config.ts"() {
    "use strict";
    init_config();
    init_redact();
    init_fsutil();
    init_owner();
  }
});

// src/model/prices.generated.ts
var PRICE_TABLE;
var init_prices_generated = __esm({
  "src/model/prices.generated.ts"() {
    "use strict";
    PRICE_TABLE = { "source": "@pydantic/genai-prices 0.1.8", "unit": "USD per million tokens", "models": [{ "id": "claude-2", "name": "Claude 2.0 / 2.1", "match": { "or": [{ "starts_with": "claude-2" }, { "contains": "claude-v2" }] }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }, { "id": "claude-3-5-haiku-latest", "name": "Claude Haiku 3.5", "match": { "or": [{ "starts_with": "claude-3-5-haiku" }, { "starts_with": "claude-3.5-haiku" }] }, "prices": [{ "since": null, "input": 0.8, "output": 4, "cacheRead": 0.08, "cacheWrite5m": 1, "cacheWrite1h": 1.6 }] }, { "id": "claude-3-5-sonnet", "name": "Claude Sonnet 3.5", "match": { "or": [{ "starts_with": "claude-3-5-sonnet" }, { "starts_with": "claude-3.5-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-7-sonnet-latest", "name": "Claude Sonnet 3.7", "match": { "or": [{ "starts_with": "claude-3-7-sonnet" }, { "starts_with": "claude-3.7-sonnet" }, { "starts_with": "claude-sonnet-3.7" }, { "starts_with": "claude-sonnet-3-7" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-3-haiku", "name": "Claude Haiku 3", "match": { "starts_with": "claude-3-haiku" }, "prices": [{ "since": null, "input": 0.25, "output": 1.25, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.5 }] }, { "id": "claude-3-opus-latest", "name": "Claude Opus 3", "match": { "starts_with": "claude-3-opus" }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-3-sonnet", "name": "Claude 3 Sonnet", "match": { "starts_with": "claude-3-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-fable-5", "name": "Claude Fable 5", "match": { "or": [{ "equals": "claude-fable-5" }, { "regex": "^claude-fable-5-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-fable-5-1", "name": "Claude Fable 5.1", "match": { "or": [{ "equals": "claude-fable-5-1" }, { "regex": "^claude-fable-5-1-\\d{8}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 0.25, "cacheWrite5m": 12.5, "cacheWrite1h": 20 }] }, { "id": "claude-haiku-4-5", "name": "Claude Haiku 4.5", "match": { "or": [{ "starts_with": "claude-haiku-4-5" }, { "starts_with": "claude-haiku-4.5" }, { "starts_with": "claude-4-5-haiku" }, { "starts_with": "claude-4.5-haiku" }] }, "prices": [{ "since": null, "input": 1, "output": 5, "cacheRead": 0.1, "cacheWrite5m": 1.25, "cacheWrite1h": 2 }] }, { "id": "claude-opus-4-0", "name": "Claude Opus 4", "match": { "or": [{ "starts_with": "claude-opus-4-0" }, { "starts_with": "claude-4-opus" }, { "equals": "claude-opus-4" }, { "equals": "claude-opus-4-20250514" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-1", "name": "Claude Opus 4.1", "match": { "or": [{ "starts_with": "claude-opus-4-1" }, { "starts_with": "claude-opus-4.1" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 30 }] }, { "id": "claude-opus-4-5", "name": "Claude Opus 4.5", "match": { "or": [{ "starts_with": "claude-opus-4-5" }, { "starts_with": "claude-opus-4.5" }, { "starts_with": "claude-4-5-opus" }, { "starts_with": "claude-4.5-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-4-6", "name": "Claude Opus 4.6", "match": { "or": [{ "starts_with": "claude-opus-4-6" }, { "starts_with": "claude-opus-4.6" }, { "starts_with": "claude-4-6-opus" }, { "starts_with": "claude-4.6-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10, "long": { "threshold": 2e5, "input": 10, "output": 37.5, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 20 } }, { "since": "2026-03-13", "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-7", "name": "Claude Opus 4.7", "match": { "or": [{ "starts_with": "claude-opus-4-7" }, { "starts_with": "claude-opus-4.7" }, { "starts_with": "claude-4-7-opus" }, { "starts_with": "claude-4.7-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }], "fast": 6 }, { "id": "claude-opus-4-8", "name": "Claude Opus 4.8", "match": { "or": [{ "starts_with": "claude-opus-4-8" }, { "starts_with": "claude-opus-4.8" }, { "starts_with": "claude-4-8-opus" }, { "starts_with": "claude-4.8-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5", "name": "Claude Opus 5", "match": { "or": [{ "equals": "claude-opus-5" }, { "regex": "^claude-opus-5-\\d{8}$" }, { "starts_with": "claude-opus-5.0" }, { "starts_with": "claude-5-opus" }, { "starts_with": "claude-5.0-opus" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 10 }] }, { "id": "claude-opus-5-5", "name": "Claude Opus 5.5", "match": { "or": [{ "equals": "claude-opus-5-5" }, { "regex": "^claude-opus-5-5-\\d{8}$" }, { "starts_with": "claude-opus-5.5" }, { "starts_with": "claude-5-5-opus" }, { "starts_with": "claude-5.5-opus" }] }, "prices": [{ "since": null, "input": 4, "output": 20, "cacheRead": 0.2, "cacheWrite5m": 5, "cacheWrite1h": 8 }] }, { "id": "claude-sonnet-4-0", "name": "Claude Sonnet 4", "match": { "or": [{ "starts_with": "claude-sonnet-4-2025" }, { "starts_with": "claude-sonnet-4-0" }, { "starts_with": "claude-sonnet-4@" }, { "equals": "claude-sonnet-4" }, { "starts_with": "claude-4-sonnet" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-5", "name": "Claude Sonnet 4.5", "match": { "or": [{ "starts_with": "claude-sonnet-4-5" }, { "starts_with": "claude-sonnet-4.5" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }] }, { "id": "claude-sonnet-4-6", "name": "Claude Sonnet 4.6", "match": { "or": [{ "starts_with": "claude-sonnet-4-6" }, { "starts_with": "claude-sonnet-4.6" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 12 } }, { "since": "2026-03-13", "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 6 }] }, { "id": "claude-sonnet-5", "name": "Claude Sonnet 5", "match": { "or": [{ "starts_with": "claude-sonnet-5" }, { "starts_with": "claude-sonnet-5.0" }, { "starts_with": "claude-5-sonnet" }, { "starts_with": "claude-5.0-sonnet" }] }, "prices": [{ "since": null, "input": 2, "output": 10, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 4 }] }, { "id": "claude-v1", "match": { "equals": "claude-v1" }, "prices": [{ "since": null, "input": 8, "output": 24, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 16 }] }, { "id": "ada", "match": { "or": [{ "equals": "ada" }, { "equals": "text-ada-001" }] }, "prices": [{ "since": null, "input": 0.4, "output": 0.4, "cacheRead": 0.4, "cacheWrite5m": 0.4, "cacheWrite1h": 0.4 }] }, { "id": "babbage", "match": { "equals": "babbage" }, "prices": [{ "since": null, "input": 0.5, "output": 0.5, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "chatgpt-4o-latest", "name": "ChatGPT-4o", "match": { "equals": "chatgpt-4o-latest" }, "prices": [{ "since": null, "input": 5, "output": 15, "cacheRead": 5, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "codex-mini", "name": "Codex Mini", "match": { "or": [{ "equals": "codex-mini" }, { "equals": "codex-mini-latest" }] }, "prices": [{ "since": null, "input": 1.5, "output": 6, "cacheRead": 0.375, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "computer-use", "name": "Computer use", "match": { "starts_with": "computer-use" }, "prices": [{ "since": null, "input": 3, "output": 12, "cacheRead": 3, "cacheWrite5m": 3, "cacheWrite1h": 3 }] }, { "id": "curie", "match": { "or": [{ "equals": "curie" }, { "equals": "text-curie-001" }] }, "prices": [{ "since": null, "input": 2, "output": 2, "cacheRead": 2, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "davinci", "match": { "or": [{ "equals": "davinci" }, { "equals": "text-davinci-001" }] }, "prices": [{ "since": null, "input": 20, "output": 20, "cacheRead": 20, "cacheWrite5m": 20, "cacheWrite1h": 20 }] }, { "id": "ft:gpt-3.5-turbo-", "match": { "starts_with": "ft:gpt-3.5-turbo" }, "prices": [{ "since": null, "input": 3, "output": 6, "cacheRead": 3, "cacheWrite5m": 3, "cacheWrite1h": 3 }] }, { "id": "ft:gpt-4o", "match": { "starts_with": "ft:gpt-4o-2024-" }, "prices": [{ "since": null, "input": 3.75, "output": 15, "cacheRead": 3.75, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "ft:gpt-4o-mini", "match": { "starts_with": "ft:gpt-4o-mini-2024-" }, "prices": [{ "since": null, "input": 0.3, "output": 1.2, "cacheRead": 0.3, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gpt-3.5-0301", "match": { "or": [{ "equals": "gpt-3.5-turbo-0301" }, { "equals": "gpt-3.5-0301" }] }, "prices": [{ "since": null, "input": 1.5, "output": 2, "cacheRead": 1.5, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gpt-3.5-turbo", "name": "gpt 3.5 turbo", "match": { "or": [{ "equals": "gpt-3.5-turbo" }, { "equals": "gpt-35-turbo" }, { "equals": "gpt-3.5-turbo-0125" }] }, "prices": [{ "since": null, "input": 0.5, "output": 1.5, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gpt-3.5-turbo-0613", "match": { "equals": "gpt-3.5-turbo-0613" }, "prices": [{ "since": null, "input": 1.5, "output": 2, "cacheRead": 1.5, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gpt-3.5-turbo-1106", "match": { "equals": "gpt-3.5-turbo-1106" }, "prices": [{ "since": null, "input": 1, "output": 2, "cacheRead": 1, "cacheWrite5m": 1, "cacheWrite1h": 1 }] }, { "id": "gpt-3.5-turbo-16k", "name": "GPT-3.5 Turbo 16k", "match": { "or": [{ "equals": "gpt-3.5-turbo-16k" }, { "equals": "gpt-3.5-turbo-16k-0613" }, { "equals": "gpt-35-turbo-16k-0613" }, { "equals": "gpt-35-turbo-16k" }] }, "prices": [{ "since": null, "input": 3, "output": 4, "cacheRead": 3, "cacheWrite5m": 3, "cacheWrite1h": 3 }] }, { "id": "gpt-3.5-turbo-instruct", "name": "gpt 3.5 turbo instruct", "match": { "or": [{ "starts_with": "gpt-3.5-turbo-instruct" }, { "equals": "gpt-3.5-turbo-instruct-0914" }] }, "prices": [{ "since": null, "input": 1.5, "output": 2, "cacheRead": 1.5, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gpt-4", "name": "gpt 4", "match": { "or": [{ "equals": "gpt-4" }, { "equals": "gpt-4-0314" }, { "equals": "gpt-4-0613" }, { "starts_with": "ft:gpt-4-0" }] }, "prices": [{ "since": null, "input": 30, "output": 60, "cacheRead": 30, "cacheWrite5m": 30, "cacheWrite1h": 30 }] }, { "id": "gpt-4-32k", "name": "gpt 4", "match": { "or": [{ "equals": "gpt-4-32k" }, { "equals": "gpt-4-32k-0314" }, { "equals": "gpt-4-32k-0613" }] }, "prices": [{ "since": null, "input": 60, "output": 120, "cacheRead": 60, "cacheWrite5m": 60, "cacheWrite1h": 60 }] }, { "id": "gpt-4-turbo", "name": "gpt 4 turbo", "match": { "or": [{ "equals": "gpt-4-turbo" }, { "equals": "gpt-4-turbo-2024-04-09" }, { "equals": "gpt-4-turbo-0125-preview" }, { "equals": "gpt-4-0125-preview" }, { "equals": "gpt-4-1106-preview" }, { "equals": "gpt-4-turbo-preview" }] }, "prices": [{ "since": null, "input": 10, "output": 30, "cacheRead": 10, "cacheWrite5m": 10, "cacheWrite1h": 10 }] }, { "id": "gpt-4-vision-preview", "name": "gpt 4 vision", "match": { "or": [{ "equals": "gpt-4-vision-preview" }, { "equals": "gpt-4-1106-vision-preview" }] }, "prices": [{ "since": null, "input": 10, "output": 30, "cacheRead": 10, "cacheWrite5m": 10, "cacheWrite1h": 10 }] }, { "id": "gpt-4.1", "name": "gpt 4.1", "match": { "or": [{ "equals": "gpt-4.1" }, { "equals": "gpt-4.1-2025-04-14" }] }, "prices": [{ "since": null, "input": 2, "output": 8, "cacheRead": 0.5, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "gpt-4.1-mini", "name": "gpt 4.1 mini", "match": { "or": [{ "equals": "gpt-4.1-mini" }, { "equals": "gpt-4.1-mini-2025-04-14" }] }, "prices": [{ "since": null, "input": 0.4, "output": 1.6, "cacheRead": 0.1, "cacheWrite5m": 0.4, "cacheWrite1h": 0.4 }] }, { "id": "gpt-4.1-nano", "name": "gpt 4.1 nano", "match": { "or": [{ "equals": "gpt-4.1-nano" }, { "equals": "gpt-4.1-nano-2025-04-14" }] }, "prices": [{ "since": null, "input": 0.1, "output": 0.4, "cacheRead": 0.025, "cacheWrite5m": 0.1, "cacheWrite1h": 0.1 }] }, { "id": "gpt-4.5-preview", "name": "GPT-4.5 (Preview)", "match": { "starts_with": "gpt-4.5-preview" }, "prices": [{ "since": null, "input": 75, "output": 150, "cacheRead": 37.5, "cacheWrite5m": 75, "cacheWrite1h": 75 }] }, { "id": "gpt-4o", "name": "gpt 4o", "match": { "or": [{ "equals": "gpt-4o" }, { "equals": "gpt-4o-2024-08-06" }, { "equals": "gpt-4o-2024-11-20" }] }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 1.25, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-4o-2024-05-13", "name": "gpt 4o (2024-05-13)", "match": { "equals": "gpt-4o-2024-05-13" }, "prices": [{ "since": null, "input": 5, "output": 15, "cacheRead": 5, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-4o-audio-preview", "name": "gpt 4o audio preview", "match": { "starts_with": "gpt-4o-audio-preview" }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-4o-mini", "name": "gpt 4o mini", "match": { "or": [{ "equals": "gpt-4o-mini" }, { "equals": "gpt-4o-mini-2024-07-18" }, { "equals": "gpt-4o-mini-search-preview" }, { "equals": "gpt-4o-mini-search-preview-2025-03-11" }] }, "prices": [{ "since": null, "input": 0.15, "output": 0.6, "cacheRead": 0.075, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 }] }, { "id": "gpt-4o-mini-2024-07-18.ft-", "match": { "starts_with": "gpt-4o-mini-2024-07-18.ft-" }, "prices": [{ "since": null, "input": 0.3, "output": 1.2, "cacheRead": 0.3, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gpt-4o-mini-audio-preview", "name": "gpt 4o mini audio preview", "match": { "starts_with": "gpt-4o-mini-audio" }, "prices": [{ "since": null, "input": 0.15, "output": 0.6, "cacheRead": 0.15, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 }] }, { "id": "gpt-4o-mini-realtime-preview", "match": { "starts_with": "gpt-4o-mini-realtime" }, "prices": [{ "since": null, "input": 0.6, "output": 2.4, "cacheRead": 0.3, "cacheWrite5m": 0.6, "cacheWrite1h": 0.6 }] }, { "id": "gpt-4o-mini-transcribe", "match": { "equals": "gpt-4o-mini-transcribe" }, "prices": [{ "since": null, "input": 1.25, "output": 5, "cacheRead": 1.25, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25 }] }, { "id": "gpt-4o-mini-tts", "match": { "equals": "gpt-4o-mini-tts" }, "prices": [{ "since": null, "input": 0.6, "output": 12, "cacheRead": 0.6, "cacheWrite5m": 0.6, "cacheWrite1h": 0.6 }] }, { "id": "gpt-4o-realtime-preview", "match": { "starts_with": "gpt-4o-realtime" }, "prices": [{ "since": null, "input": 5, "output": 20, "cacheRead": 2.5, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-4o-search-preview", "name": "GPT-4o Search Preview", "match": { "or": [{ "equals": "gpt-4o-search-preview" }, { "equals": "gpt-4o-search-preview-2025-03-11" }] }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-4o-transcribe", "match": { "or": [{ "equals": "gpt-4o-transcribe" }, { "equals": "gpt-4o-transcribe-diarize" }] }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-4o:extended", "name": "GPT-4o (extended)", "match": { "equals": "gpt-4o:extended" }, "prices": [{ "since": null, "input": 6, "output": 18, "cacheRead": 6, "cacheWrite5m": 6, "cacheWrite1h": 6 }] }, { "id": "gpt-5", "name": "GPT-5", "match": { "or": [{ "equals": "gpt-5" }, { "equals": "gpt-5-2025-08-07" }, { "equals": "gpt-5-chat" }, { "equals": "gpt-5-chat-latest" }, { "equals": "gpt-5-codex" }] }, "prices": [{ "since": null, "input": 1.25, "output": 10, "cacheRead": 0.125, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25 }] }, { "id": "gpt-5-image", "match": { "equals": "gpt-5-image" }, "prices": [{ "since": null, "input": 10, "output": 10, "cacheRead": 1.25, "cacheWrite5m": 10, "cacheWrite1h": 10 }] }, { "id": "gpt-5-image-mini", "match": { "equals": "gpt-5-image-mini" }, "prices": [{ "since": null, "input": 2.5, "output": 2, "cacheRead": 0.25, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-5-mini", "name": "GPT-5 mini", "match": { "or": [{ "equals": "gpt-5-mini" }, { "equals": "gpt-5-mini-2025-08-07" }] }, "prices": [{ "since": null, "input": 0.25, "output": 2, "cacheRead": 0.025, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 }] }, { "id": "gpt-5-nano", "name": "GPT-5 nano", "match": { "or": [{ "equals": "gpt-5-nano" }, { "starts_with": "gpt-5-nano-" }] }, "prices": [{ "since": null, "input": 0.05, "output": 0.4, "cacheRead": 5e-3, "cacheWrite5m": 0.05, "cacheWrite1h": 0.05 }] }, { "id": "gpt-5-pro", "match": { "or": [{ "equals": "gpt-5-pro" }, { "equals": "gpt-5-pro-2025-10-06" }] }, "prices": [{ "since": null, "input": 15, "output": 120, "cacheRead": 15, "cacheWrite5m": 15, "cacheWrite1h": 15 }] }, { "id": "gpt-5.1", "name": "GPT-5.1", "match": { "or": [{ "equals": "gpt-5.1" }, { "equals": "gpt-5.1-2025-11-13" }, { "equals": "gpt-5.1-codex" }, { "equals": "gpt-5.1-codex-max" }, { "equals": "gpt-5.1-chat" }, { "equals": "gpt-5.1-chat-latest" }, { "equals": "gpt-5-1" }, { "equals": "gpt-5-1-2025-11-13" }, { "equals": "gpt-5-1-codex" }, { "equals": "gpt-5-1-codex-max" }, { "equals": "gpt-5-1-chat" }, { "equals": "gpt-5-1-chat-latest" }] }, "prices": [{ "since": null, "input": 1.25, "output": 10, "cacheRead": 0.125, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25 }] }, { "id": "gpt-5.1-codex-mini", "name": "GPT-5.1 Codex Mini", "match": { "or": [{ "equals": "gpt-5.1-codex-mini" }, { "equals": "gpt-5.1-mini" }, { "equals": "gpt-5-1-codex-mini" }, { "equals": "gpt-5-1-mini" }] }, "prices": [{ "since": null, "input": 0.25, "output": 2, "cacheRead": 0.025, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 }] }, { "id": "gpt-5.2", "name": "GPT-5.2", "match": { "or": [{ "equals": "gpt-5.2" }, { "equals": "gpt-5.2-2025-12-11" }, { "equals": "gpt-5-2" }, { "equals": "gpt-5-2-2025-12-11" }, { "equals": "gpt-5.2-chat" }, { "equals": "gpt-5.2-chat-latest" }, { "equals": "gpt-5-2-chat" }, { "equals": "gpt-5-2-chat-latest" }, { "equals": "gpt-5.2-codex" }, { "equals": "gpt-5-2-codex" }] }, "prices": [{ "since": null, "input": 1.75, "output": 14, "cacheRead": 0.175, "cacheWrite5m": 1.75, "cacheWrite1h": 1.75 }] }, { "id": "gpt-5.2-pro", "match": { "or": [{ "equals": "gpt-5.2-pro" }, { "equals": "gpt-5.2-pro-2025-12-11" }, { "equals": "gpt-5-2-pro-2025-12-11" }] }, "prices": [{ "since": null, "input": 21, "output": 168, "cacheRead": 21, "cacheWrite5m": 21, "cacheWrite1h": 21 }] }, { "id": "gpt-5.3", "name": "GPT-5.3 Chat", "match": { "or": [{ "equals": "gpt-5.3" }, { "equals": "gpt-5-3" }, { "equals": "gpt-5.3-chat" }, { "equals": "gpt-5.3-chat-latest" }, { "equals": "gpt-5-3-chat" }, { "equals": "gpt-5-3-chat-latest" }] }, "prices": [{ "since": null, "input": 1.75, "output": 14, "cacheRead": 0.175, "cacheWrite5m": 1.75, "cacheWrite1h": 1.75 }] }, { "id": "gpt-5.3-codex", "name": "GPT-5.3-Codex", "match": { "or": [{ "equals": "gpt-5.3-codex" }, { "equals": "gpt-5-3-codex" }] }, "prices": [{ "since": null, "input": 1.75, "output": 14, "cacheRead": 0.175, "cacheWrite5m": 1.75, "cacheWrite1h": 1.75 }] }, { "id": "gpt-5.4", "name": "GPT-5.4", "match": { "or": [{ "equals": "gpt-5.4" }, { "equals": "gpt-5.4-2026-03-05" }, { "equals": "gpt-5-4" }, { "equals": "gpt-5-4-2026-03-05" }] }, "prices": [{ "since": null, "input": 2.5, "output": 15, "cacheRead": 0.25, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5, "long": { "threshold": 271999, "input": 5, "output": 22.5, "cacheRead": 0.5, "cacheWrite5m": 5, "cacheWrite1h": 5 } }] }, { "id": "gpt-5.4-image-2", "name": "GPT-5.4 Image 2", "match": { "equals": "gpt-5.4-image-2" }, "prices": [{ "since": null, "input": 8, "output": 15, "cacheRead": 2, "cacheWrite5m": 8, "cacheWrite1h": 8 }] }, { "id": "gpt-5.4-mini", "name": "GPT-5.4 mini", "match": { "or": [{ "equals": "gpt-5.4-mini" }, { "equals": "gpt-5.4-mini-2026-03-17" }, { "equals": "gpt-5-4-mini" }, { "equals": "gpt-5-4-mini-2026-03-17" }] }, "prices": [{ "since": null, "input": 0.75, "output": 4.5, "cacheRead": 0.075, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }] }, { "id": "gpt-5.4-nano", "name": "GPT-5.4 nano", "match": { "or": [{ "equals": "gpt-5.4-nano" }, { "equals": "gpt-5.4-nano-2026-03-17" }, { "equals": "gpt-5-4-nano" }, { "equals": "gpt-5-4-nano-2026-03-17" }] }, "prices": [{ "since": null, "input": 0.2, "output": 1.25, "cacheRead": 0.02, "cacheWrite5m": 0.2, "cacheWrite1h": 0.2 }] }, { "id": "gpt-5.4-pro", "name": "GPT-5.4 Pro", "match": { "or": [{ "equals": "gpt-5.4-pro" }, { "equals": "gpt-5.4-pro-2026-03-05" }, { "equals": "gpt-5-4-pro" }, { "equals": "gpt-5-4-pro-2026-03-05" }] }, "prices": [{ "since": null, "input": 30, "output": 180, "cacheRead": 30, "cacheWrite5m": 30, "cacheWrite1h": 30, "long": { "threshold": 271999, "input": 60, "output": 270, "cacheRead": 60, "cacheWrite5m": 60, "cacheWrite1h": 60 } }] }, { "id": "gpt-5.5", "name": "GPT-5.5", "match": { "or": [{ "equals": "gpt-5.5" }, { "equals": "gpt-5.5-2026-04-23" }, { "equals": "gpt-5.5-2026-04-24" }, { "equals": "gpt-5-5" }, { "equals": "gpt-5-5-2026-04-23" }, { "equals": "gpt-5-5-2026-04-24" }, { "equals": "gpt-5.5-chat" }, { "equals": "gpt-5.5-chat-latest" }, { "equals": "gpt-5-5-chat" }, { "equals": "gpt-5-5-chat-latest" }, { "equals": "gpt-5.5-codex" }, { "equals": "gpt-5-5-codex" }] }, "prices": [{ "since": null, "input": 5, "output": 30, "cacheRead": 0.5, "cacheWrite5m": 5, "cacheWrite1h": 5, "long": { "threshold": 271999, "input": 10, "output": 45, "cacheRead": 1, "cacheWrite5m": 10, "cacheWrite1h": 10 } }] }, { "id": "gpt-5.5-pro", "name": "GPT-5.5 Pro", "match": { "or": [{ "equals": "gpt-5.5-pro" }, { "equals": "gpt-5.5-pro-2026-04-23" }, { "equals": "gpt-5-5-pro" }, { "equals": "gpt-5-5-pro-2026-04-23" }] }, "prices": [{ "since": null, "input": 30, "output": 180, "cacheRead": 30, "cacheWrite5m": 30, "cacheWrite1h": 30, "long": { "threshold": 271999, "input": 60, "output": 270, "cacheRead": 60, "cacheWrite5m": 60, "cacheWrite1h": 60 } }] }, { "id": "gpt-5.6-luna", "name": "GPT-5.6 Luna", "match": { "or": [{ "equals": "gpt-5.6-luna" }, { "equals": "gpt-5-6-luna" }, { "regex": "^gpt-5\\.6-luna-\\d{4}-\\d{2}-\\d{2}$" }, { "regex": "^gpt-5-6-luna-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 1, "output": 6, "cacheRead": 0.1, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25, "long": { "threshold": 271999, "input": 2, "output": 9, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 } }, { "since": "2026-07-30", "input": 0.2, "output": 1.2, "cacheRead": 0.02, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25, "long": { "threshold": 271999, "input": 0.4, "output": 1.8, "cacheRead": 0.04, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 } }] }, { "id": "gpt-5.6-sol", "name": "GPT-5.6 Sol", "match": { "or": [{ "equals": "gpt-5.6-sol" }, { "equals": "gpt-5-6-sol" }, { "equals": "gpt-5.6" }, { "equals": "gpt-5-6" }, { "regex": "^gpt-5\\.6-sol-\\d{4}-\\d{2}-\\d{2}$" }, { "regex": "^gpt-5-6-sol-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 5, "output": 30, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25, "long": { "threshold": 271999, "input": 10, "output": 45, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5 } }, { "since": "2026-08-21", "input": 4, "output": 20, "cacheRead": 0.4, "cacheWrite5m": 5, "cacheWrite1h": 5, "long": { "threshold": 271999, "input": 8, "output": 30, "cacheRead": 0.8, "cacheWrite5m": 10, "cacheWrite1h": 10 } }] }, { "id": "gpt-5.6-terra", "name": "GPT-5.6 Terra", "match": { "or": [{ "equals": "gpt-5.6-terra" }, { "equals": "gpt-5-6-terra" }, { "regex": "^gpt-5\\.6-terra-\\d{4}-\\d{2}-\\d{2}$" }, { "regex": "^gpt-5-6-terra-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 2.5, "output": 15, "cacheRead": 0.25, "cacheWrite5m": 3.125, "cacheWrite1h": 3.125, "long": { "threshold": 271999, "input": 5, "output": 22.5, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25 } }, { "since": "2026-07-30", "input": 2, "output": 12, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5, "long": { "threshold": 271999, "input": 4, "output": 18, "cacheRead": 0.4, "cacheWrite5m": 5, "cacheWrite1h": 5 } }] }, { "id": "gpt-6-astra", "name": "GPT-6 Astra", "match": { "or": [{ "equals": "gpt-6-astra" }, { "regex": "^gpt-6-astra-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5, "long": { "threshold": 271999, "input": 20, "output": 75, "cacheRead": 2, "cacheWrite5m": 25, "cacheWrite1h": 25 } }] }, { "id": "gpt-6-luna", "name": "GPT-6 Luna", "match": { "or": [{ "equals": "gpt-6-luna" }, { "regex": "^gpt-6-luna-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 0.1, "output": 0.5, "cacheRead": 0.01, "cacheWrite5m": 0.125, "cacheWrite1h": 0.125, "long": { "threshold": 272e3, "input": 0.2, "output": 0.75, "cacheRead": 0.02, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 } }] }, { "id": "gpt-6-sol", "name": "GPT-6 Sol", "match": { "or": [{ "equals": "gpt-6-sol" }, { "regex": "^gpt-6-sol-\\d{4}-\\d{2}-\\d{2}$" }] }, "prices": [{ "since": null, "input": 2, "output": 10, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5, "long": { "threshold": 272e3, "input": 4, "output": 15, "cacheRead": 0.4, "cacheWrite5m": 5, "cacheWrite1h": 5 } }] }, { "id": "gpt-audio", "name": "GPT Audio", "match": { "or": [{ "equals": "gpt-audio" }, { "equals": "gpt-audio-2025-08-28" }, { "equals": "gpt-audio-1.5" }] }, "prices": [{ "since": null, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 }] }, { "id": "gpt-audio-mini", "name": "GPT Audio Mini", "match": { "or": [{ "equals": "gpt-audio-mini" }, { "equals": "gpt-audio-mini-2025-10-06" }, { "equals": "gpt-audio-mini-2025-12-15" }] }, "prices": [{ "since": null, "input": 0.6, "output": 2.4, "cacheRead": 0.6, "cacheWrite5m": 0.6, "cacheWrite1h": 0.6 }] }, { "id": "gpt-chat-latest", "name": "GPT Chat Latest", "match": { "equals": "gpt-chat-latest" }, "prices": [{ "since": null, "input": 5, "output": 30, "cacheRead": 0.5, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-image-1", "name": "GPT Image 1", "match": { "equals": "gpt-image-1" }, "prices": [{ "since": null, "input": 5, "output": 40, "cacheRead": 1.25, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-image-1-mini", "name": "GPT Image 1 Mini", "match": { "or": [{ "equals": "gpt-image-1-mini" }] }, "prices": [{ "since": null, "input": 2, "output": 8, "cacheRead": 0.2, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "gpt-image-1.5", "name": "GPT Image 1.5", "match": { "or": [{ "equals": "gpt-image-1.5" }, { "equals": "gpt-image-1.5-2025-12-16" }] }, "prices": [{ "since": null, "input": 5, "output": 10, "cacheRead": 1.25, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-image-2", "name": "GPT Image 2", "match": { "or": [{ "equals": "gpt-image-2" }, { "equals": "gpt-image-2-2026-04-21" }] }, "prices": [{ "since": null, "input": 5, "output": 30, "cacheRead": 1.25, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "gpt-oss-120b", "name": "gpt-oss-120b", "match": { "equals": "gpt-oss-120b" }, "prices": [{ "since": null, "input": 0.039, "output": 0.18, "cacheRead": 0.039, "cacheWrite5m": 0.039, "cacheWrite1h": 0.039 }] }, { "id": "gpt-oss-20b", "name": "gpt-oss-20b", "match": { "equals": "gpt-oss-20b" }, "prices": [{ "since": null, "input": 0.029, "output": 0.14, "cacheRead": 0.029, "cacheWrite5m": 0.029, "cacheWrite1h": 0.029 }] }, { "id": "gpt-oss-safeguard-20b", "name": "gpt-oss-safeguard-20b", "match": { "equals": "gpt-oss-safeguard-20b" }, "prices": [{ "since": null, "input": 0.075, "output": 0.3, "cacheRead": 0.037, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075 }] }, { "id": "gpt-realtime", "match": { "or": [{ "equals": "gpt-realtime" }, { "equals": "gpt-realtime-2025-08-28" }, { "equals": "gpt-realtime-1.5" }] }, "prices": [{ "since": null, "input": 4, "output": 16, "cacheRead": 0.4, "cacheWrite5m": 4, "cacheWrite1h": 4 }] }, { "id": "gpt-realtime-2", "match": { "or": [{ "equals": "gpt-realtime-2" }, { "equals": "gpt-realtime-2.1" }] }, "prices": [{ "since": null, "input": 4, "output": 24, "cacheRead": 0.4, "cacheWrite5m": 4, "cacheWrite1h": 4 }] }, { "id": "gpt-realtime-mini", "match": { "or": [{ "equals": "gpt-realtime-mini" }, { "equals": "gpt-realtime-2.1-mini" }, { "equals": "gpt-realtime-mini-2025-12-15" }, { "equals": "gpt-realtime-mini-2025-10-06" }] }, "prices": [{ "since": null, "input": 0.6, "output": 2.4, "cacheRead": 0.06, "cacheWrite5m": 0.6, "cacheWrite1h": 0.6 }] }, { "id": "o1", "name": "o1", "match": { "or": [{ "equals": "o1" }, { "equals": "o1-2024-12-17" }] }, "prices": [{ "since": null, "input": 15, "output": 60, "cacheRead": 7.5, "cacheWrite5m": 15, "cacheWrite1h": 15 }] }, { "id": "o1-mini", "name": "o1 mini", "match": { "or": [{ "equals": "o1-mini" }, { "equals": "o1-mini-2024-09-12" }] }, "prices": [{ "since": null, "input": 1.1, "output": 4.4, "cacheRead": 0.55, "cacheWrite5m": 1.1, "cacheWrite1h": 1.1 }] }, { "id": "o1-preview", "name": "o1 preview", "match": { "or": [{ "equals": "o1-preview" }, { "equals": "o1-preview-2024-09-12" }] }, "prices": [{ "since": null, "input": 15, "output": 60, "cacheRead": 7.5, "cacheWrite5m": 15, "cacheWrite1h": 15 }] }, { "id": "o1-pro", "name": "o1-pro", "match": { "or": [{ "equals": "o1-pro" }, { "equals": "o1-pro-2025-03-19" }] }, "prices": [{ "since": null, "input": 150, "output": 600, "cacheRead": 150, "cacheWrite5m": 150, "cacheWrite1h": 150 }] }, { "id": "o3", "name": "o3", "match": { "or": [{ "equals": "o3" }, { "equals": "o3-2025-04-16" }] }, "prices": [{ "since": null, "input": 10, "output": 40, "cacheRead": 0.5, "cacheWrite5m": 10, "cacheWrite1h": 10 }, { "since": "2025-06-10", "input": 2, "output": 8, "cacheRead": 0.5, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "o3-deep-research", "match": { "or": [{ "equals": "o3-deep-research" }, { "equals": "o3-deep-research-2025-06-26" }] }, "prices": [{ "since": null, "input": 10, "output": 40, "cacheRead": 2.5, "cacheWrite5m": 10, "cacheWrite1h": 10 }] }, { "id": "o3-mini", "name": "o3 Mini", "match": { "or": [{ "equals": "o3-mini" }, { "equals": "o3-mini-2025-01-31" }, { "equals": "o3-mini-high" }] }, "prices": [{ "since": null, "input": 1.1, "output": 4.4, "cacheRead": 0.55, "cacheWrite5m": 1.1, "cacheWrite1h": 1.1 }] }, { "id": "o3-pro", "name": "o3 Pro", "match": { "or": [{ "equals": "o3-pro" }, { "equals": "o3-pro-2025-06-10" }] }, "prices": [{ "since": null, "input": 20, "output": 80, "cacheRead": 20, "cacheWrite5m": 20, "cacheWrite1h": 20 }] }, { "id": "o4-mini", "name": "o4 Mini High", "match": { "or": [{ "equals": "o4-mini-2025-04-16" }, { "equals": "o4-mini-high" }, { "equals": "o4-mini" }] }, "prices": [{ "since": null, "input": 1.1, "output": 4.4, "cacheRead": 0.275, "cacheWrite5m": 1.1, "cacheWrite1h": 1.1 }] }, { "id": "o4-mini-deep-research", "match": { "or": [{ "equals": "o4-mini-deep-research" }, { "equals": "o4-mini-deep-research-2025-06-26" }] }, "prices": [{ "since": null, "input": 2, "output": 8, "cacheRead": 0.5, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "text-davinci-002", "match": { "equals": "text-davinci-002" }, "prices": [{ "since": null, "input": 20, "output": 20, "cacheRead": 20, "cacheWrite5m": 20, "cacheWrite1h": 20 }] }, { "id": "text-davinci-003", "match": { "equals": "text-davinci-003" }, "prices": [{ "since": null, "input": 20, "output": 20, "cacheRead": 20, "cacheWrite5m": 20, "cacheWrite1h": 20 }] }, { "id": "claude-3-5-haiku", "match": { "contains": "claude-3-5-haiku" }, "prices": [{ "since": null, "input": 0.8, "output": 4, "cacheRead": 0.08, "cacheWrite5m": 1, "cacheWrite1h": 1 }] }, { "id": "claude-3-5-sonnet", "match": { "contains": "claude-3-5-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "claude-3-7-sonnet", "match": { "contains": "claude-3-7-sonnet" }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "claude-3-haiku", "match": { "contains": "claude-3-haiku" }, "prices": [{ "since": null, "input": 0.25, "output": 1.25, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "claude-3-opus", "match": { "contains": "claude-3-opus" }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 18.75 }] }, { "id": "claude-4-opus", "match": { "or": [{ "contains": "claude-4-opus" }, { "contains": "claude-opus-4@" }, { "contains": "claude-opus-4-0" }, { "contains": "claude-opus-4-1" }, { "equals": "claude-opus-4" }] }, "prices": [{ "since": null, "input": 15, "output": 75, "cacheRead": 1.5, "cacheWrite5m": 18.75, "cacheWrite1h": 18.75 }] }, { "id": "claude-4-sonnet", "match": { "or": [{ "contains": "claude-4-sonnet" }, { "contains": "claude-sonnet-4-0" }, { "contains": "claude-sonnet-4@" }, { "contains": "claude-sonnet-4-2025" }, { "equals": "claude-sonnet-4" }, { "equals": "anthropic/claude-sonnet-4" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "claude-fable-5", "match": { "or": [{ "ends_with": "claude-fable-5" }, { "contains": "claude-fable-5@" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5 }] }, { "id": "claude-fable-5-1", "match": { "or": [{ "ends_with": "claude-fable-5-1" }, { "contains": "claude-fable-5-1@" }] }, "prices": [{ "since": null, "input": 10, "output": 50, "cacheRead": 0.25, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5 }] }, { "id": "claude-opus-4-6", "match": { "or": [{ "contains": "claude-4-6-opus" }, { "contains": "claude-opus-4-6" }, { "contains": "claude-4.6-opus" }, { "contains": "claude-opus-4.6" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25, "long": { "threshold": 2e5, "input": 10, "output": 37.5, "cacheRead": 1, "cacheWrite5m": 12.5, "cacheWrite1h": 12.5 } }], "fast": 6 }, { "id": "claude-opus-4-7", "match": { "or": [{ "contains": "claude-4-7-opus" }, { "contains": "claude-opus-4-7" }, { "contains": "claude-4.7-opus" }, { "contains": "claude-opus-4.7" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25 }], "fast": 6 }, { "id": "claude-opus-4-8", "match": { "or": [{ "contains": "claude-4-8-opus" }, { "contains": "claude-opus-4-8" }, { "contains": "claude-4.8-opus" }, { "contains": "claude-opus-4.8" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25 }] }, { "id": "claude-opus-5", "match": { "or": [{ "contains": "claude-5-opus" }, { "ends_with": "claude-opus-5" }, { "contains": "claude-opus-5@" }, { "contains": "claude-5.0-opus" }, { "contains": "claude-opus-5.0" }] }, "prices": [{ "since": null, "input": 5, "output": 25, "cacheRead": 0.5, "cacheWrite5m": 6.25, "cacheWrite1h": 6.25 }] }, { "id": "claude-opus-5-5", "match": { "or": [{ "contains": "claude-5-5-opus" }, { "ends_with": "claude-opus-5-5" }, { "contains": "claude-opus-5-5@" }, { "contains": "claude-5.5-opus" }, { "contains": "claude-opus-5.5" }] }, "prices": [{ "since": null, "input": 4, "output": 20, "cacheRead": 0.2, "cacheWrite5m": 5, "cacheWrite1h": 5 }] }, { "id": "claude-sonnet-4-5", "match": { "or": [{ "contains": "claude-sonnet-4-5" }, { "contains": "claude-sonnet-4.5" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75, "long": { "threshold": 2e5, "input": 6, "output": 22.5, "cacheRead": 0.6, "cacheWrite5m": 7.5, "cacheWrite1h": 7.5 } }] }, { "id": "claude-sonnet-4-6", "match": { "or": [{ "contains": "claude-sonnet-4-6" }, { "contains": "claude-sonnet-4.6" }] }, "prices": [{ "since": null, "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite5m": 3.75, "cacheWrite1h": 3.75 }] }, { "id": "gemini-1.0-pro-vision-001", "name": "gemini 1.0 pro vision", "match": { "equals": "gemini-1.0-pro-vision-001" }, "prices": [{ "since": null, "input": 0.125, "output": 0.375, "cacheRead": 0.125, "cacheWrite5m": 0.125, "cacheWrite1h": 0.125 }] }, { "id": "gemini-1.5-flash", "name": "gemini 1.5 flash", "match": { "contains": "gemini-1.5-flash" }, "prices": [{ "since": null, "input": 0.075, "output": 0.3, "cacheRead": 0.01875, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075, "long": { "threshold": 128e3, "input": 0.15, "output": 0.6, "cacheRead": 0.0375, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 } }] }, { "id": "gemini-1.5-pro", "name": "gemini 1.5 Pro", "match": { "contains": "gemini-1.5-pro" }, "prices": [{ "since": null, "input": 1.25, "output": 5, "cacheRead": 1.25, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25, "long": { "threshold": 128e3, "input": 2.5, "output": 10, "cacheRead": 2.5, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 } }] }, { "id": "gemini-2.0-flash", "name": "gemini 2.0 flash", "match": { "or": [{ "ends_with": "gemini-2.0-flash" }, { "contains": "gemini-2.0-flash-0" }, { "contains": "gemini-2.0-flash-exp" }, { "contains": "gemini-2.0-flash-thinking" }, { "contains": "gemini-2.0-flash-latest" }] }, "prices": [{ "since": null, "input": 0.1, "output": 0.4, "cacheRead": 0.025, "cacheWrite5m": 0.1, "cacheWrite1h": 0.1 }] }, { "id": "gemini-2.0-flash-lite", "name": "gemini 2.0 flash lite", "match": { "contains": "gemini-2.0-flash-lite" }, "prices": [{ "since": null, "input": 0.075, "output": 0.3, "cacheRead": 0.075, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075 }] }, { "id": "gemini-2.5-flash", "name": "Gemini 2.5 Flash", "match": { "or": [{ "equals": "gemini-2.5-flash" }, { "equals": "gemini-2.5-flash-latest" }, { "equals": "gemini-2.5-flash-preview-09-2025" }] }, "prices": [{ "since": null, "input": 0.3, "output": 2.5, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gemini-2.5-flash-image", "name": "Gemini 2.5 Flash Image", "match": { "or": [{ "equals": "gemini-2.5-flash-image" }, { "equals": "gemini-2.5-flash-image-preview" }] }, "prices": [{ "since": null, "input": 0.3, "output": 2.5, "cacheRead": 0.3, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gemini-2.5-flash-lite", "name": "Gemini 2.5 Flash Lite", "match": { "or": [{ "equals": "gemini-2.5-flash-lite" }, { "and": [{ "starts_with": "gemini-2.5-flash-lite-preview" }, { "regex": "^(?!.*-[tT][tT][sS](?:$|-))" }] }] }, "prices": [{ "since": null, "input": 0.1, "output": 0.4, "cacheRead": 0.01, "cacheWrite5m": 0.1, "cacheWrite1h": 0.1 }] }, { "id": "gemini-2.5-flash-lite-preview-tts", "name": "Gemini 2.5 Flash-Lite Preview TTS", "match": { "equals": "gemini-2.5-flash-lite-preview-tts" }, "prices": [{ "since": null, "input": 0.5, "output": 10, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-2.5-flash-preview", "name": "Gemini 2.5 Flash Preview 05-20", "match": { "or": [{ "contains": "gemini-2.5-flash-preview-05-20" }, { "contains": "gemini-2.5-flash-preview-04-17" }, { "equals": "gemini-2.5-flash-preview-05-20:thinking" }, { "equals": "gemini-2.5-flash-preview" }, { "equals": "gemini-2.5-flash-preview:thinking" }] }, "prices": [{ "since": null, "input": 0.15, "output": 0.6, "cacheRead": 0.15, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 }] }, { "id": "gemini-2.5-flash-tts", "name": "Gemini 2.5 Flash TTS", "match": { "or": [{ "equals": "gemini-2.5-flash-tts" }, { "equals": "gemini-2.5-flash-preview-tts" }] }, "prices": [{ "since": null, "input": 0.5, "output": 10, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-2.5-pro", "name": "Gemini 2.5 Pro", "match": { "and": [{ "starts_with": "gemini-2.5-pro" }, { "regex": "^(?!.*-[tT][tT][sS](?:$|-))" }] }, "prices": [{ "since": null, "input": 1.25, "output": 10, "cacheRead": 0.125, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25, "long": { "threshold": 2e5, "input": 2.5, "output": 15, "cacheRead": 0.25, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 } }] }, { "id": "gemini-2.5-pro-tts", "name": "Gemini 2.5 Pro TTS", "match": { "or": [{ "equals": "gemini-2.5-pro-tts" }, { "equals": "gemini-2.5-pro-preview-tts" }] }, "prices": [{ "since": null, "input": 1, "output": 20, "cacheRead": 1, "cacheWrite5m": 1, "cacheWrite1h": 1 }] }, { "id": "gemini-3-flash-preview", "name": "Gemini 3 Flash Preview", "match": { "or": [{ "equals": "gemini-3-flash-preview" }, { "starts_with": "gemini-3-flash-preview-" }] }, "prices": [{ "since": null, "input": 0.5, "output": 3, "cacheRead": 0.05, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-3-pro-image-preview", "name": "Gemini 3 Pro Image Preview", "match": { "or": [{ "equals": "gemini-3-pro-image" }, { "starts_with": "gemini-3-pro-image-preview" }] }, "prices": [{ "since": null, "input": 2, "output": 12, "cacheRead": 2, "cacheWrite5m": 2, "cacheWrite1h": 2 }] }, { "id": "gemini-3-pro-preview", "name": "Gemini 3 Pro Preview", "match": { "or": [{ "starts_with": "gemini-3-pro-preview" }, { "equals": "gemini-3-pro-text-preview" }] }, "prices": [{ "since": null, "input": 2, "output": 12, "cacheRead": 0.2, "cacheWrite5m": 2, "cacheWrite1h": 2, "long": { "threshold": 2e5, "input": 4, "output": 18, "cacheRead": 0.4, "cacheWrite5m": 4, "cacheWrite1h": 4 } }] }, { "id": "gemini-3.1-flash-image-preview", "name": "Gemini 3.1 Flash Image Preview", "match": { "or": [{ "equals": "gemini-3.1-flash-image" }, { "starts_with": "gemini-3.1-flash-image-preview" }] }, "prices": [{ "since": null, "input": 0.5, "output": 3, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-3.1-flash-lite", "name": "Gemini 3.1 Flash Lite", "match": { "or": [{ "equals": "gemini-3.1-flash-lite" }, { "starts_with": "gemini-3.1-flash-lite-preview" }] }, "prices": [{ "since": null, "input": 0.25, "output": 1.5, "cacheRead": 0.025, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 }] }, { "id": "gemini-3.1-flash-lite-image", "name": "Gemini 3.1 Flash Lite Image", "match": { "starts_with": "gemini-3.1-flash-lite-image" }, "prices": [{ "since": null, "input": 0.25, "output": 1.5, "cacheRead": 0.25, "cacheWrite5m": 0.25, "cacheWrite1h": 0.25 }] }, { "id": "gemini-3.1-flash-live-preview", "name": "Gemini 3.1 Flash Live Preview", "match": { "starts_with": "gemini-3.1-flash-live-preview" }, "prices": [{ "since": null, "input": 0.75, "output": 4.5, "cacheRead": 0.75, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }] }, { "id": "gemini-3.1-pro-preview", "name": "Gemini 3.1 Pro Preview", "match": { "starts_with": "gemini-3.1-pro-preview" }, "prices": [{ "since": null, "input": 2, "output": 12, "cacheRead": 0.2, "cacheWrite5m": 2, "cacheWrite1h": 2, "long": { "threshold": 2e5, "input": 4, "output": 18, "cacheRead": 0.4, "cacheWrite5m": 4, "cacheWrite1h": 4 } }] }, { "id": "gemini-3.5-flash", "name": "Gemini 3.5 Flash", "match": { "or": [{ "equals": "gemini-3.5-flash" }, { "starts_with": "gemini-3.5-flash-preview" }, { "regex": "^gemini-3\\.5-flash-\\d" }] }, "prices": [{ "since": null, "input": 1.5, "output": 9, "cacheRead": 0.15, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-3.5-flash-lite", "name": "Gemini 3.5 Flash Lite", "match": { "starts_with": "gemini-3.5-flash-lite" }, "prices": [{ "since": null, "input": 0.3, "output": 2.5, "cacheRead": 0.03, "cacheWrite5m": 0.3, "cacheWrite1h": 0.3 }] }, { "id": "gemini-3.6-flash", "name": "Gemini 3.6 Flash", "match": { "starts_with": "gemini-3.6-flash" }, "prices": [{ "since": null, "input": 0.75, "output": 3.75, "cacheRead": 0.075, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }, { "since": "2027-01-01", "input": 1.5, "output": 7.5, "cacheRead": 0.15, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-3.7-flash", "name": "Gemini 3.7 Flash", "match": { "starts_with": "gemini-3.7-flash" }, "prices": [{ "since": null, "input": 0.75, "output": 3.75, "cacheRead": 0.075, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }, { "since": "2027-01-01", "input": 1.5, "output": 7.5, "cacheRead": 0.15, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-3.8-flash", "name": "Gemini 3.8 Flash", "match": { "starts_with": "gemini-3.8-flash" }, "prices": [{ "since": null, "input": 0.75, "output": 3.75, "cacheRead": 0.075, "cacheWrite5m": 0.75, "cacheWrite1h": 0.75 }, { "since": "2027-01-01", "input": 1.5, "output": 7.5, "cacheRead": 0.15, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-flash-1.5", "name": "Gemini 1.5 Flash", "match": { "equals": "gemini-flash-1.5" }, "prices": [{ "since": null, "input": 0.075, "output": 0.3, "cacheRead": 0.01875, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075, "long": { "threshold": 128e3, "input": 0.15, "output": 0.6, "cacheRead": 0.0375, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 } }] }, { "id": "gemini-flash-1.5-8b", "name": "gemini 1.5 flash", "match": { "equals": "gemini-flash-1.5-8b" }, "prices": [{ "since": null, "input": 0.0375, "output": 0.15, "cacheRead": 0.01, "cacheWrite5m": 0.0375, "cacheWrite1h": 0.0375, "long": { "threshold": 128e3, "input": 0.075, "output": 0.3, "cacheRead": 0.02, "cacheWrite5m": 0.075, "cacheWrite1h": 0.075 } }] }, { "id": "gemini-live-2.5-flash", "name": "Gemini Live 2.5 Flash", "match": { "or": [{ "starts_with": "gemini-live-2.5-flash" }, { "starts_with": "gemini-2.5-flash-native-audio-preview" }, { "equals": "gemini-2.5-flash-native-audio-latest" }] }, "prices": [{ "since": null, "input": 0.5, "output": 2, "cacheRead": 0.5, "cacheWrite5m": 0.5, "cacheWrite1h": 0.5 }] }, { "id": "gemini-omni-flash-preview", "name": "Gemini Omni Flash Preview", "match": { "starts_with": "gemini-omni-flash-preview" }, "prices": [{ "since": null, "input": 1.5, "output": 9, "cacheRead": 1.5, "cacheWrite5m": 1.5, "cacheWrite1h": 1.5 }] }, { "id": "gemini-pro", "name": "gemini 1.0 pro", "match": { "or": [{ "equals": "gemini-pro" }, { "equals": "gemini-1.0-pro" }] }, "prices": [{ "since": null, "input": 0.125, "output": 0.375, "cacheRead": 0.125, "cacheWrite5m": 0.125, "cacheWrite1h": 0.125 }] }, { "id": "gemini-pro-1.5", "name": "Gemini 1.5 Pro", "match": { "equals": "gemini-pro-1.5" }, "prices": [{ "since": null, "input": 1.25, "output": 5, "cacheRead": 0.3125, "cacheWrite5m": 1.25, "cacheWrite1h": 1.25, "long": { "threshold": 128e3, "input": 2.5, "output": 10, "cacheRead": 0.625, "cacheWrite5m": 2.5, "cacheWrite1h": 2.5 } }] }, { "id": "gemma-2-27b-it", "name": "Gemma 2 27B", "match": { "equals": "gemma-2-27b-it" }, "prices": [{ "since": null, "input": 0.65, "output": 0.65, "cacheRead": 0.65, "cacheWrite5m": 0.65, "cacheWrite1h": 0.65 }] }, { "id": "gemma-4-26b-a4b-it-maas", "name": "Gemma 4 26B A4B (Vertex AI MaaS)", "match": { "equals": "gemma-4-26b-a4b-it-maas" }, "prices": [{ "since": null, "input": 0.15, "output": 0.6, "cacheRead": 0.015, "cacheWrite5m": 0.15, "cacheWrite1h": 0.15 }] }] };
  }
});

// src/model/pricing.ts
function longThreshold(model) {
  const m = tableModel(normalizeModel(model));
  const t = m?.prices.find((p) => p.long)?.long?.threshold;
  return typeof t === "number" ? t : LONG_CONTEXT_THRESHOLD;
}
function normalizeModel(model) {
  let id = model.toLowerCase().trim();
  id = id.replace(/\[1m\]$/, "");
  id = id.replace(/^(?:[a-z]{2,4}\.)?anthropic\./, "");
  id = id.replace(/^anthropic\//, "");
  id = id.replace(/-v\d+(?::\d+)?$/, "");
  id = id.replace(/@(\d{8})$/, "-$1");
  return ALIASES[id] ?? id;
}
function matches(m, id) {
  if ("starts_with" in m) return id.startsWith(m.starts_with);
  if ("equals" in m) return id === m.equals;
  if ("contains" in m) return id.includes(m.contains);
  if ("regex" in m) return new RegExp(m.regex).test(id);
  if ("or" in m) return m.or.some((x) => matches(x, id));
  if ("and" in m) return m.and.every((x) => matches(x, id));
  return false;
}
function tableModel(id) {
  let m = found.get(id);
  if (m === void 0) {
    m = BUILTIN_PRICES.models.find((x) => matches(x.match, id)) ?? null;
    found.set(id, m);
  }
  return m;
}
function priceFor(prices, model, day = "9999-12-31") {
  const id = normalizeModel(model);
  const key = Object.keys(prices.overrides).filter((k) => id === normalizeModel(k) || id.startsWith(normalizeModel(k))).sort((a, b) => b.length - a.length)[0];
  if (key) {
    const o = prices.overrides[key];
    return {
      input: o.input,
      output: o.output,
      cacheRead: o.cacheRead ?? o.input / 10,
      cacheWrite5m: o.cacheWrite5m ?? o.input * 1.25,
      cacheWrite1h: o.cacheWrite1h ?? o.input * 2
    };
  }
  const m = tableModel(id);
  if (!m) return null;
  const p = [...m.prices].reverse().find((x) => x.since === null || x.since <= day) ?? m.prices[0];
  const { since: _since, ...price2 } = p;
  return m.fast ? { ...price2, fast: m.fast } : price2;
}
function unitsOf(price2, t, long, fast = false) {
  const pr = long && price2.long ? price2.long : price2;
  const u = units(t.input, pr.input) + units(t.output, pr.output) + units(t.cacheRead, pr.cacheRead) + units(t.cacheWrite5m, pr.cacheWrite5m) + units(t.cacheWrite1h, pr.cacheWrite1h);
  return fast && price2.fast ? u * price2.fast : u;
}
function costUnits(model, t, prices = BUILTIN_PRICES, day, fast = false) {
  const price2 = priceFor(prices, model, day);
  if (!price2) return null;
  return unitsOf(price2, t, t.input + t.cacheRead + t.cacheWrite > longThreshold(model), fast);
}
var table, BUILTIN_PRICES, PRICE_SOURCE, LONG_CONTEXT_THRESHOLD, withOverrides, ALIASES, found, priceOf, units, unitsToUsd;
var init_pricing = __esm({
  "src/model/pricing.ts"() {
    "use strict";
    init_prices_generated();
    table = PRICE_TABLE;
    BUILTIN_PRICES = { models: table.models, overrides: {} };
    PRICE_SOURCE = table.source;
    LONG_CONTEXT_THRESHOLD = 2e5;
    withOverrides = (overrides) => ({
      models: BUILTIN_PRICES.models,
      overrides
    });
    ALIASES = {
      opus: "claude-opus-4-7",
      sonnet: "claude-sonnet-4-6",
      haiku: "claude-haiku-4-5",
      opusplan: "claude-opus-4-7"
    };
    found = /* @__PURE__ */ new Map();
    priceOf = (model) => priceFor(BUILTIN_PRICES, model);
    units = (tokens, perMillion) => tokens * Math.round(perMillion * 1e4);
    unitsToUsd = (u) => Math.round(u / 100) / 1e8;
  }
});

// src/model/events.ts
var zeroTokens;
var init_events = __esm({
  "src/model/events.ts"() {
    "use strict";
    zeroTokens = () => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
  }
});

// src/model/figures.ts
function eventTokens(e) {
  const t = e.tokens ?? {};
  const cacheWrite = n(t.cacheWrite);
  const w1h = n(t.cacheWrite1h);
  const w5m = t.cacheWrite5m === void 0 ? cacheWrite - w1h : n(t.cacheWrite5m);
  return {
    input: n(t.input),
    output: n(t.output),
    cacheRead: n(t.cacheRead),
    cacheWrite,
    cacheWrite5m: Math.max(0, w5m),
    cacheWrite1h: w1h
  };
}
function usageAgentType(e, agentTypes = {}) {
  if (e.agent === "main") return "main";
  return typeof e.agentType === "string" && e.agentType || agentTypes[e.agent] || "unknown";
}
function addUsage(cells, e, agentType) {
  const tokens = eventTokens(e);
  const model = typeof e.model === "string" && e.model ? e.model : "unknown";
  const long = tokens.input + tokens.cacheRead + tokens.cacheWrite > longThreshold(model);
  const fast = e.speed === "fast";
  const day = e.ts.slice(0, 10);
  const key = `${model}|${agentType}|${day}|${long ? 1 : 0}${fast ? "|fast" : ""}`;
  const cur = cells[key];
  if (cur) {
    cur.requests++;
    cur.tokens = addTokens(cur.tokens, tokens);
  } else cells[key] = { model, agentType, day, long, fast, requests: 1, tokens };
}
function addCell(s2, c, prices) {
  s2.tokens.input += c.tokens.input;
  s2.tokens.output += c.tokens.output;
  s2.tokens.cacheRead += c.tokens.cacheRead;
  s2.tokens.cacheWrite += c.tokens.cacheWrite;
  s2.requests += c.requests;
  const price2 = priceFor(prices, c.model, c.day);
  if (price2) s2.units += unitsOf(price2, c.tokens, c.long, c.fast);
  else {
    s2.unpricedTokens += allTokens(c.tokens);
    if (!s2.unpricedModels.includes(c.model)) s2.unpricedModels.push(c.model);
  }
}
function spendBy(cells, prices, key = () => "all") {
  const out2 = /* @__PURE__ */ new Map();
  for (const c of cells) {
    const k = key(c);
    let s2 = out2.get(k);
    if (!s2) {
      s2 = emptySpend();
      out2.set(k, s2);
    }
    addCell(s2, c, prices);
  }
  return out2;
}
function costUsd(s2) {
  if (s2.unpricedTokens > 0 && s2.units === 0) return null;
  return unitsToUsd(s2.units);
}
function weekOf(day) {
  const d = /* @__PURE__ */ new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}
function sessionsIn(list, r2 = {}) {
  if (!r2.since && !r2.until) return list;
  return list.filter(
    (s2) => (!r2.since || (s2.lastActivity ?? "").slice(0, 10) >= r2.since) && (!r2.until || (s2.started ?? "").slice(0, 10) <= r2.until)
  );
}
function totals(list, prices, r2 = {}) {
  const sessions = sessionsIn(list, r2);
  const cells = sessions.flatMap((s2) => cellsOf(s2, r2));
  const sum = (f) => sessions.reduce((a, s2) => a + (f(s2) ?? 0), 0);
  return {
    sessions: sessions.length,
    agents: sum((s2) => s2.agents),
    toolCalls: sum((s2) => s2.toolCalls),
    toolFailures: sum((s2) => s2.toolFailures),
    toolRejected: sum((s2) => s2.toolRejected),
    toolInterrupted: sum((s2) => s2.toolInterrupted),
    toolDenied: sum((s2) => s2.toolDenied),
    toolCascaded: sum((s2) => s2.toolCascaded),
    errors: sum((s2) => s2.errors),
    fileChanges: sum((s2) => s2.fileChanges),
    ...money(totalSpend(cells, prices)),
    byModel: Object.fromEntries(
      [...spendBy(cells, prices, (c) => c.model)].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, money(v)])
    )
  };
}
function row(key, cells, prices) {
  const m = money(totalSpend(cells, prices));
  const byModel = [...spendBy(cells, prices, (c) => c.model)].map(([model, s2]) => ({ model, ...money(s2) }));
  return {
    key,
    ...m,
    period: key,
    inputTokens: m.tokens.input,
    outputTokens: m.tokens.output,
    cacheCreationTokens: m.tokens.cacheWrite,
    cacheReadTokens: m.tokens.cacheRead,
    totalTokens: m.tokens.input + m.tokens.output + m.tokens.cacheRead + m.tokens.cacheWrite,
    totalCost: m.costUsd,
    modelsUsed: byModel.map((b) => b.model).sort(),
    modelBreakdowns: byModel.sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0)).map((b) => ({
      modelName: b.model,
      inputTokens: b.tokens.input,
      outputTokens: b.tokens.output,
      cacheCreationTokens: b.tokens.cacheWrite,
      cacheReadTokens: b.tokens.cacheRead,
      cost: b.costUsd
    }))
  };
}
function breakdown(list, by, prices, r2 = {}) {
  const sessions = sessionsIn(list, r2);
  if (by === "session") {
    return [...sessions].sort((a, b) => (a.started ?? "").localeCompare(b.started ?? "")).map((s2) => ({
      ...row(s2.session, cellsOf(s2, r2), prices),
      started: s2.started,
      lastActivity: s2.lastActivity,
      firstPrompt: s2.firstPrompt ?? null
    }));
  }
  const groups = /* @__PURE__ */ new Map();
  const add = (key, s2, c) => {
    const g = groups.get(key) ?? { cells: [], sessions: /* @__PURE__ */ new Set() };
    g.cells.push(...c);
    g.sessions.add(s2.session);
    groups.set(key, g);
  };
  for (const s2 of sessions) {
    if (by === "author") {
      add(s2.author ? `${s2.author.name} <${s2.author.email}>` : "(unknown)", s2, cellsOf(s2, r2));
      continue;
    }
    if (by === "tool") {
      add(agentToolOf(s2), s2, cellsOf(s2, r2));
      continue;
    }
    for (const c of cellsOf(s2, r2)) {
      const key = by === "day" ? c.day : by === "week" ? weekOf(c.day) : by === "month" ? monthOf(c.day) : by === "agent" ? c.agentType : c.model;
      add(key, s2, [c]);
    }
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => ({ ...row(key, g.cells, prices), sessions: g.sessions.size }));
}
function eventsSpend(events, prices, agentTypes = {}) {
  const cells = {};
  for (const e of events) if (e.type === "usage") addUsage(cells, e, usageAgentType(e, agentTypes));
  return money(totalSpend(Object.values(cells), prices));
}
function usdText(costUsd2, unpricedTokens = 0, digits = 6) {
  if (costUsd2 === null) return "unpriced";
  return `$${costUsd2.toFixed(digits)}${unpricedTokens > 0 ? " + unpriced" : ""}`;
}
var n, addTokens, emptySpend, allTokens, totalSpend, monthOf, agentToolOf, inRange, cellsOf, money, BREAKDOWNS, many, COST_NOTE;
var init_figures = __esm({
  "src/model/figures.ts"() {
    "use strict";
    init_pricing();
    n = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
    addTokens = (a, b) => ({
      input: a.input + b.input,
      output: a.output + b.output,
      cacheRead: a.cacheRead + b.cacheRead,
      cacheWrite: a.cacheWrite + b.cacheWrite,
      cacheWrite5m: a.cacheWrite5m + b.cacheWrite5m,
      cacheWrite1h: a.cacheWrite1h + b.cacheWrite1h
    });
    emptySpend = () => ({
      tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      units: 0,
      unpricedTokens: 0,
      unpricedModels: [],
      requests: 0
    });
    allTokens = (t) => t.input + t.output + t.cacheRead + t.cacheWrite;
    totalSpend = (cells, prices) => spendBy(cells, prices).get("all") ?? emptySpend();
    monthOf = (day) => day.slice(0, 7);
    agentToolOf = (s2) => s2.agentTool || "claude-code";
    inRange = (day, r2) => (!r2.since || day >= r2.since) && (!r2.until || day <= r2.until);
    cellsOf = (s2, r2 = {}) => Object.values(s2.cells ?? {}).filter((c) => inRange(c.day, r2));
    money = (s2) => ({
      tokens: { ...s2.tokens },
      costUsd: costUsd(s2),
      unpricedTokens: s2.unpricedTokens,
      unpricedModels: [...s2.unpricedModels].sort()
    });
    BREAKDOWNS = [
      "day",
      "week",
      "month",
      "session",
      "agent",
      "model",
      "author",
      "tool"
    ];
    many = (n2, word, plural = `${word}s`) => `${n2} ${n2 === 1 ? word : plural}`;
    COST_NOTE = "Costs are list-price estimates (what Claude Code itself reports), not an invoice.";
  }
});

// src/model/status.ts
function sessionStatus(s2, ctx) {
  if (s2.ended || s2.imported && !s2.pid) return "ended";
  let gone;
  if (typeof s2.pid === "number" && s2.pid > 0 && s2.host === ctx.host) gone = !ctx.alive(s2.pid);
  else {
    const last = s2.lastActivity ? Date.parse(s2.lastActivity) : Number.NaN;
    gone = Number.isFinite(last) && ctx.now - last > ctx.crashedAfterMinutes * 6e4;
  }
  if (!gone) return "running";
  return s2.lastTurnEnded ? "ended" : "crashed";
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
var init_status = __esm({
  "src/model/status.ts"() {
    "use strict";
  }
});

// src/model/session.ts
function emptySummary(session, phase2, dir) {
  return {
    v: SUMMARY_VERSION,
    session,
    phase: phase2,
    dir,
    started: null,
    lastActivity: null,
    ended: null,
    endReason: null,
    cwd: null,
    branch: null,
    head: null,
    models: [],
    author: null,
    firstPrompt: null,
    events: 0,
    prompts: 0,
    agents: 0,
    toolCalls: 0,
    toolFailures: 0,
    toolRejected: 0,
    toolInterrupted: 0,
    toolDenied: 0,
    toolCascaded: 0,
    errors: 0,
    fileChanges: 0,
    errorToolUseIds: [],
    failedToolUseIds: [],
    tokens: zeroTokens(),
    cells: {},
    costUsd: 0,
    unpricedTokens: 0,
    unpricedModels: [],
    usage: { byModel: {}, byAgent: {}, byDay: {} },
    agentTypes: {}
  };
}
function foldSummary(prev, events) {
  const cells = {};
  for (const [k, c] of Object.entries(prev.cells ?? {})) cells[k] = { ...c, tokens: { ...c.tokens } };
  const out2 = {
    ...prev,
    v: SUMMARY_VERSION,
    tokens: { ...prev.tokens },
    models: [...prev.models],
    errorToolUseIds: [...prev.errorToolUseIds ?? []],
    failedToolUseIds: [...prev.failedToolUseIds ?? []],
    toolRejected: prev.toolRejected ?? 0,
    toolInterrupted: prev.toolInterrupted ?? 0,
    toolDenied: prev.toolDenied ?? 0,
    toolCascaded: prev.toolCascaded ?? 0,
    cells,
    agentTypes: { ...prev.agentTypes ?? {} }
  };
  const failed = new Set(out2.failedToolUseIds);
  const erred = new Set(out2.errorToolUseIds);
  const seenCall = (id) => {
    if (!id) return false;
    if (failed.has(id)) return true;
    failed.add(id);
    out2.failedToolUseIds.push(id);
    return false;
  };
  for (const raw of events) {
    out2.events++;
    if (raw.source === "import") out2.imported = true;
    if (!out2.started || raw.ts < out2.started) out2.started = raw.ts;
    if (!out2.lastActivity || raw.ts > out2.lastActivity) out2.lastActivity = raw.ts;
    if (raw.type === "agent_start" && s(raw.agentId) && s(raw.agentType))
      out2.agentTypes[raw.agentId] = raw.agentType;
    for (const e of canonicalEvent(raw, out2.agentTypes)) foldOne(e);
  }
  return withFigures(out2, BUILTIN_PRICES);
  function turnOpened(ts) {
    if (!out2.lastTurnOpenAt || ts > out2.lastTurnOpenAt) out2.lastTurnOpenAt = ts;
    if (!out2.lastTurnEndAt || ts > out2.lastTurnEndAt) out2.lastTurnEnded = false;
  }
  function foldOne(e) {
    switch (e.type) {
      case "session_start":
        out2.cwd ??= s(e.cwd);
        out2.branch ??= s(e.branch);
        out2.head ??= s(e.head);
        if (s(e.agentTool)) out2.agentTool ??= e.agentTool;
        if (typeof e.pid === "number") out2.pid = e.pid;
        if (e.source === "import") out2.imported = true;
        if (s(e.host)) out2.host = e.host;
        if (s(e.model) && !out2.models.includes(e.model)) out2.models.push(e.model);
        out2.ended = null;
        out2.endReason = null;
        turnOpened(e.ts);
        break;
      case "prompt":
        out2.prompts++;
        turnOpened(e.ts);
        if (out2.firstPrompt === null && typeof e.text === "string") out2.firstPrompt = e.text.slice(0, 200);
        break;
      case "agent_start":
        out2.agents++;
        break;
      case "tool_start":
        if (e.agent === "main") turnOpened(e.ts);
        break;
      case "tool_call": {
        const outcome = toolOutcome(e);
        if (outcome !== "success" && seenCall(s(e.toolUseId))) break;
        out2.toolCalls++;
        if (outcome === "failed") out2.toolFailures++;
        else if (outcome === "rejected") out2.toolRejected++;
        else if (outcome === "interrupted") out2.toolInterrupted++;
        else if (outcome === "denied") out2.toolDenied++;
        else if (outcome === "cascaded") out2.toolCascaded++;
        if (typeof e.launchedAgent === "string" && e.launchedAgent && e.agent !== e.launchedAgent) {
          const t = e.input?.subagent_type;
          if (typeof t === "string" && !out2.agentTypes[e.launchedAgent]) out2.agentTypes[e.launchedAgent] = t;
        }
        break;
      }
      case "error": {
        const id = s(e.toolUseId);
        if (id && erred.has(id)) break;
        if (id) {
          erred.add(id);
          out2.errorToolUseIds.push(id);
        }
        out2.errors++;
        break;
      }
      case "file_change":
        out2.fileChanges++;
        break;
      case "stop":
        if (e.agent === "main") {
          if (!out2.lastTurnEndAt || e.ts > out2.lastTurnEndAt) out2.lastTurnEndAt = e.ts;
          if (!out2.lastTurnOpenAt || e.ts >= out2.lastTurnOpenAt) out2.lastTurnEnded = true;
        }
        break;
      case "session_end":
        out2.ended = e.ts;
        out2.endReason = s(e.reason);
        break;
      case "compact":
        if (e.stage !== "post") out2.compacts = (out2.compacts ?? 0) + 1;
        break;
      case "snapshot": {
        const at = e.at ?? {};
        out2.snapshots = (out2.snapshots ?? 0) + 1;
        out2.lastSnapshot = {
          id: String(e.snapshot ?? e.id),
          ts: e.ts,
          agents: Number(at.agents ?? 0),
          tokens: Number(at.tokens ?? 0),
          compacts: Number(at.compacts ?? 0),
          ended: at.ended === true
        };
        break;
      }
      case "usage": {
        const before = { ...out2.tokens };
        addUsage(cells, e, usageAgentType(e, out2.agentTypes));
        const t = e.tokens ?? {};
        out2.tokens = {
          input: before.input + Number(t.input ?? 0),
          output: before.output + Number(t.output ?? 0),
          cacheRead: before.cacheRead + Number(t.cacheRead ?? 0),
          cacheWrite: before.cacheWrite + Number(t.cacheWrite ?? 0)
        };
        const model = s(e.model) ?? "unknown";
        if (!out2.models.includes(model)) out2.models.push(model);
        break;
      }
    }
  }
}
function withFigures(x, prices) {
  const cells = Object.values(x.cells ?? {});
  const all = spendBy(cells, prices).get("all");
  const cost = all ? all.unpricedTokens > 0 && all.units === 0 ? null : Math.round(all.units / 100) / 1e8 : 0;
  return {
    ...x,
    costUsd: cost,
    unpricedTokens: all?.unpricedTokens ?? 0,
    unpricedModels: all?.unpricedModels ?? [],
    usage: {
      byModel: spendRecord(spendBy(cells, prices, (c) => c.model)),
      byAgent: spendRecord(spendBy(cells, prices, (c) => c.agentType)),
      byDay: spendRecord(spendBy(cells, prices, (c) => c.day))
    }
  };
}
var SUMMARY_VERSION, totalTokens, s, isCurrentSummary, spendRecord;
var init_session = __esm({
  "src/model/session.ts"() {
    "use strict";
    init_canonical();
    init_events();
    init_figures();
    init_pricing();
    init_status();
    SUMMARY_VERSION = 3;
    totalTokens = (s2) => s2.tokens.input + s2.tokens.output + s2.tokens.cacheRead + s2.tokens.cacheWrite;
    s = (v) => typeof v === "string" ? v : null;
    isCurrentSummary = (x) => x.v === SUMMARY_VERSION && !!x.cells;
    spendRecord = (m) => Object.fromEntries(
      [...m].map(([k, v]) => [k, { tokens: v.tokens, units: v.units, unpricedTokens: v.unpricedTokens }])
    );
  }
});

// src/store/base.ts
import { spawnSync as spawnSync2 } from "node:child_process";
import * as fs7 from "node:fs";
import * as path7 from "node:path";
function git(paths, args, input) {
  return spawnSync2("git", [`--git-dir=${paths.commonDir}`, ...args], {
    input,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "pipe"]
  });
}
function missingObjects(paths, oids) {
  const notLoose = oids.filter(
    (o) => !fs7.existsSync(path7.join(paths.commonDir, "objects", o.slice(0, 2), o.slice(2)))
  );
  if (!notLoose.length) return [];
  const r2 = git(paths, ["cat-file", "--batch-check"], `${notLoose.join("\n")}
`);
  if (r2.status !== 0) return notLoose;
  return r2.stdout.split("\n").filter((l) => l.endsWith(" missing")).map((l) => l.split(" ")[0]);
}
function intact(paths, commit) {
  const r2 = git(paths, ["rev-list", "--objects", "--missing=print", commit]);
  return r2.status === 0 && !/^\?/m.test(r2.stdout);
}
function intactBase(paths, candidates) {
  const seen = /* @__PURE__ */ new Set();
  for (const c of candidates) {
    if (!c || seen.has(c) || !/^[0-9a-f]{40}$/.test(c)) continue;
    seen.add(c);
    if (intact(paths, c)) return c;
    if (seen.size >= 12) break;
  }
  return null;
}
function firstParents(paths, commit, max) {
  const r2 = git(paths, ["rev-list", "--first-parent", `--max-count=${max}`, "--ignore-missing", commit]);
  return r2.status === 0 ? r2.stdout.split("\n").filter(Boolean) : [];
}
async function planBase(paths, store, state, tip) {
  if (!tip)
    return { base: null, expected: null, fresh: false, rereadAll: state.tip !== null };
  let whole;
  if (state.tip === tip)
    whole = missingObjects(paths, state.written?.length ? state.written : [tip]).length === 0;
  else {
    try {
      const commit = await store.readCommit(tip);
      whole = missingObjects(paths, [tip, commit.tree]).length === 0;
    } catch {
      whole = false;
    }
  }
  if (whole) {
    if (state.tip === tip) return { base: tip, expected: tip, fresh: true, rereadAll: false };
    const descendant = state.tip !== null && isAncestor(paths, state.tip, tip);
    return { base: tip, expected: tip, fresh: false, rereadAll: !descendant };
  }
  const base = intactBase(paths, [...firstParents(paths, tip, 20), ...state.history ?? []]);
  return {
    base,
    expected: tip,
    fresh: false,
    rereadAll: true,
    notice: `the agent-tracking branch's tip ${tip.slice(0, 12)} has lost objects (a git gc --prune=now during a flush?): rebuilt on ${base ? base.slice(0, 12) : "a new root commit"} with the events of the spool`
  };
}
var isAncestor;
var init_base = __esm({
  "src/store/base.ts"() {
    "use strict";
    isAncestor = (paths, a, b) => a === b || git(paths, ["merge-base", "--is-ancestor", a, b]).status === 0;
  }
});

// src/store/layout.ts
import { createHash as createHash4 } from "node:crypto";
function encodeName(id) {
  let out2 = "";
  for (const b of Buffer.from(id, "utf8")) {
    const c = String.fromCharCode(b);
    out2 += /[A-Za-z0-9_.-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  if (out2 === "") return "%";
  if (/^\.+$/.test(out2) || /^\.git$/i.test(out2)) out2 = `%2E${out2.slice(1)}`;
  if (out2.length > NAME_MAX)
    out2 = `${out2.slice(0, NAME_MAX - 20).replace(/%[0-9A-F]?$/, "")}~${createHash4("sha1").update(id).digest("hex").slice(0, 16)}`;
  return out2;
}
function decodeName(name) {
  if (name.includes("~")) return null;
  if (name === "%") return "";
  if (!name.includes("%")) return name;
  const bytes = [];
  for (let i = 0; i < name.length; i++) {
    const m = name[i] === "%" ? /^[0-9A-F]{2}/.exec(name.slice(i + 1, i + 3)) : null;
    if (m) {
      bytes.push(Number.parseInt(m[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(name[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}
function sessionDir(phase2, started, session) {
  const day = /^\d{4}-\d{2}-\d{2}/.test(started) ? started.slice(0, 10) : "0000-00-00";
  return `phases/${phase2}/sessions/${day}-${encodeName(session)}`;
}
function renderIndex(sessions, prices = BUILTIN_PRICES, status = (s2) => sessionStatus(s2, { now: Date.now(), host: "", alive: () => false, crashedAfterMinutes: 30 })) {
  const byPhase = /* @__PURE__ */ new Map();
  for (const s2 of sessions) byPhase.set(s2.phase, [...byPhase.get(s2.phase) ?? [], s2]);
  const span = (list) => ({
    first: list.map((s2) => s2.started ?? "").filter(Boolean).sort()[0] ?? "",
    last: list.map((s2) => s2.lastActivity ?? "").sort().at(-1) ?? ""
  });
  const lines = [
    "# Agent tracking",
    "",
    "Claude Code sessions of this repository, recorded by [subagent-tracking](https://www.npmjs.com/package/subagent-tracking).",
    "Read them with `agent-track sessions`, `agent-track show <session>` and `agent-track stats`.",
    "",
    "## Phases",
    ""
  ];
  if (byPhase.size === 0) lines.push("No session recorded yet.");
  else {
    lines.push(
      "| phase | sessions | subagents | tool calls | failed | errors | cost | first | last |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    );
    for (const [name, list] of [...byPhase].sort(
      (a, b) => span(a[1]).first.localeCompare(span(b[1]).first)
    )) {
      const t = totals(list, prices);
      const { first, last } = span(list);
      lines.push(
        `| ${name} | ${t.sessions} | ${t.agents} | ${t.toolCalls} | ${t.toolFailures} | ${t.errors} | ${usdText(t.costUsd, t.unpricedTokens)} | ${first.slice(0, 10)} | ${last.slice(0, 10)} |`
      );
    }
  }
  const recent = [...sessions].sort((a, b) => (b.started ?? "").localeCompare(a.started ?? "")).slice(0, 20);
  if (recent.length) {
    lines.push(
      "",
      "## Latest sessions",
      "",
      "| session | started | branch | subagents | tool calls | errors | cost | status |",
      "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |"
    );
    for (const s2 of recent) {
      const t = totals([s2], prices);
      lines.push(
        `| [${s2.session.slice(0, 8)}](${s2.dir}/session.json) | ${s2.started ?? ""} | ${s2.branch ?? ""} | ${t.agents} | ${t.toolCalls} | ${t.errors} | ${usdText(t.costUsd, t.unpricedTokens)} | ${status(s2)} |`
      );
    }
    lines.push("", `_${COST_NOTE} Status as of the last flush._`);
  }
  return `${lines.join("\n")}
`;
}
var NAME_MAX, segmentName, SEGMENT_RE;
var init_layout = __esm({
  "src/store/layout.ts"() {
    "use strict";
    init_figures();
    init_pricing();
    init_session();
    NAME_MAX = 160;
    segmentName = (n2) => `${String(n2).padStart(6, "0")}.jsonl`;
    SEGMENT_RE = /^\d{6,}\.jsonl$/;
  }
});

// src/store/folders.ts
async function findSessionDirs(tree) {
  const out2 = /* @__PURE__ */ new Map();
  for (const [id, dirs] of await sessionFolders(tree)) out2.set(id, dirs[0]);
  return out2;
}
async function sessionFolders(tree) {
  const out2 = /* @__PURE__ */ new Map();
  for (const phase2 of await tree.list("phases") ?? []) {
    if (phase2.type !== "tree") continue;
    for (const s2 of await tree.list(`phases/${phase2.path}/sessions`) ?? []) {
      if (s2.type !== "tree") continue;
      const m = SESSION_FOLDER.exec(s2.path);
      if (!m) continue;
      const dir = `phases/${phase2.path}/sessions/${s2.path}`;
      let id = decodeName(m[1]);
      if (id === null) {
        try {
          id = JSON.parse(await tree.readFile(`${dir}/session.json`) ?? "").session;
        } catch {
          continue;
        }
        if (typeof id !== "string") continue;
      }
      const list = out2.get(id);
      if (list) list.push(dir);
      else out2.set(id, [dir]);
    }
  }
  for (const list of out2.values()) list.sort();
  return out2;
}
async function rebuildIndex(tree, dirs) {
  const index = {};
  for (const [id, dir] of dirs) {
    const text2 = await tree.readFile(`${dir}/session.json`);
    if (!text2) continue;
    try {
      index[id] = JSON.parse(text2);
    } catch {
    }
  }
  return index;
}
async function unifySessionFolders(tree) {
  const merged = /* @__PURE__ */ new Map();
  for (const [id, dirs] of await sessionFolders(tree)) {
    if (dirs.length < 2) continue;
    const [keep, ...others] = dirs;
    const lines = await eventLines(tree, keep);
    const known = new Set(lines.map(idOf));
    const extra = [];
    for (const other of others) {
      for (const line of await eventLines(tree, other)) {
        const e = idOf(line);
        if (known.has(e)) continue;
        known.add(e);
        extra.push(line);
      }
      await copyMissing(tree, other, keep);
      await tree.remove(other);
    }
    if (extra.length) {
      const last = Math.max(
        0,
        ...(await tree.list(`${keep}/events`) ?? []).filter((e) => SEGMENT_RE.test(e.path)).map((e) => Number.parseInt(e.path, 10))
      );
      tree.stageFile(`${keep}/events/${segmentName(last + 1)}`, redactForStore(`${extra.join("\n")}
`));
    }
    let old = {};
    try {
      old = JSON.parse(await tree.readFile(`${keep}/session.json`) ?? "{}");
    } catch {
    }
    const events = [...lines, ...extra].map((l) => JSON.parse(l));
    events.sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
    const summary = foldSummary(
      { ...emptySummary(id, keep.split("/")[1], keep), author: old.author ?? null },
      events
    );
    tree.stageFile(`${keep}/session.json`, redactForStore(`${JSON.stringify(summary, null, 2)}
`));
    merged.set(id, summary);
  }
  return merged;
}
async function eventLines(tree, dir) {
  const segs = (await tree.list(`${dir}/events`) ?? []).filter((e) => SEGMENT_RE.test(e.path));
  segs.sort((a, b) => a.path.localeCompare(b.path));
  const out2 = [];
  for (const s2 of segs)
    for (const line of (await tree.readFile(`${dir}/events/${s2.path}`) ?? "").split("\n"))
      if (line.trim()) out2.push(line);
  return out2;
}
async function copyMissing(tree, from, to, sub = "") {
  for (const e of await tree.list(sub ? `${from}/${sub}` : from) ?? []) {
    const rel2 = sub ? `${sub}/${e.path}` : e.path;
    if (rel2 === "session.json" || rel2 === "events") continue;
    if (await tree.has(`${to}/${rel2}`)) {
      if (e.type === "tree") await copyMissing(tree, from, to, rel2);
      continue;
    }
    if (e.type === "tree") await tree.setTree(`${to}/${rel2}`, e.oid);
    else await tree.setBlob(`${to}/${rel2}`, e);
  }
}
var SESSION_FOLDER, idOf;
var init_folders = __esm({
  "src/store/folders.ts"() {
    "use strict";
    init_redact();
    init_session();
    init_layout();
    SESSION_FOLDER = /^\d{4}-\d{2}-\d{2}-(.+)$/;
    idOf = (line) => {
      try {
        return String(JSON.parse(line).id);
      } catch {
        return line;
      }
    };
  }
});

// src/store/paths.ts
import * as fs8 from "node:fs";
import * as path8 from "node:path";
function readGitFile(file) {
  try {
    const text2 = fs8.readFileSync(file, "utf8");
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text2);
    return m ? path8.resolve(path8.dirname(file), m[1]) : null;
  } catch {
    return null;
  }
}
function findRepo(start) {
  let dir = path8.resolve(start);
  for (; ; ) {
    const dotGit = path8.join(dir, ".git");
    let gitDir = null;
    try {
      const st = fs8.statSync(dotGit);
      gitDir = st.isDirectory() ? dotGit : readGitFile(dotGit);
    } catch {
      gitDir = null;
    }
    if (gitDir) return pathsFor(dir, gitDir);
    const parent = path8.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
function pathsFor(workTree, gitDir) {
  let commonDir = gitDir;
  try {
    const rel2 = fs8.readFileSync(path8.join(gitDir, "commondir"), "utf8").trim();
    if (rel2) commonDir = path8.resolve(gitDir, rel2);
  } catch {
  }
  const trackingDir = path8.join(commonDir, "agent-tracking");
  return {
    workTree,
    gitDir,
    commonDir,
    trackingDir,
    spoolDir: path8.join(trackingDir, "spool"),
    errorsDir: path8.join(trackingDir, "errors")
  };
}
function readHead(paths) {
  try {
    const text2 = fs8.readFileSync(path8.join(paths.gitDir, "HEAD"), "utf8").trim();
    if (text2.startsWith("ref: ")) {
      const ref = text2.slice(5);
      return { branch: ref.replace(/^refs\/heads\//, ""), head: readRef(paths.commonDir, ref) };
    }
    return { branch: null, head: text2 || null };
  } catch {
    return { branch: null, head: null };
  }
}
function readRef(commonDir, ref) {
  try {
    const v = fs8.readFileSync(path8.join(commonDir, ref), "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(v)) return v;
  } catch {
  }
  try {
    const packed = fs8.readFileSync(path8.join(commonDir, "packed-refs"), "utf8");
    for (const line of packed.split("\n")) {
      if (line.length > 41 && line.charCodeAt(40) === 32 && line.slice(41) === ref) return line.slice(0, 40);
    }
  } catch {
  }
  return null;
}
function checkedOutIn(commonDir, ref) {
  const heads = [];
  let bare = false;
  try {
    bare = /^\s*bare\s*=\s*true\s*$/im.test(fs8.readFileSync(path8.join(commonDir, "config"), "utf8"));
  } catch {
  }
  if (!bare)
    heads.push({
      head: path8.join(commonDir, "HEAD"),
      worktree: () => path8.basename(commonDir) === ".git" ? path8.dirname(commonDir) : commonDir
    });
  try {
    for (const name of fs8.readdirSync(path8.join(commonDir, "worktrees"))) {
      const dir = path8.join(commonDir, "worktrees", name);
      heads.push({
        head: path8.join(dir, "HEAD"),
        worktree: () => {
          try {
            return path8.dirname(fs8.readFileSync(path8.join(dir, "gitdir"), "utf8").trim());
          } catch {
            return dir;
          }
        }
      });
    }
  } catch {
  }
  for (const h of heads) {
    try {
      if (fs8.readFileSync(h.head, "utf8").trim() === `ref: ${ref}`) return h.worktree();
    } catch {
    }
  }
  return null;
}
function objectFormat(commonDir) {
  let f = formats.get(commonDir);
  if (f === void 0) {
    f = "sha1";
    try {
      const m = /^\s*objectformat\s*=\s*"?([\w-]+)"?\s*$/im.exec(
        fs8.readFileSync(path8.join(commonDir, "config"), "utf8")
      );
      if (m) f = m[1].toLowerCase();
    } catch {
    }
    formats.set(commonDir, f);
  }
  return f;
}
function assertWritableFormat(commonDir) {
  const f = objectFormat(commonDir);
  if (f !== "sha1") throw new UnsupportedRepositoryError(f);
}
var TRACKING_BRANCH, TRACKING_REF, BranchCheckedOutError, UnsupportedRepositoryError, formats;
var init_paths = __esm({
  "src/store/paths.ts"() {
    "use strict";
    TRACKING_BRANCH = "agent-tracking";
    TRACKING_REF = `refs/heads/${TRACKING_BRANCH}`;
    BranchCheckedOutError = class extends Error {
      constructor(ref, worktree) {
        super(
          `the ${ref.replace(/^refs\/heads\//, "")} branch is checked out in ${worktree}: not moving it under that worktree (its events stay in the spool); switch that worktree to another branch or detach it (git worktree add --detach)`
        );
        this.ref = ref;
        this.worktree = worktree;
      }
      ref;
      worktree;
    };
    UnsupportedRepositoryError = class extends Error {
      constructor(format) {
        super(
          `this repository uses ${format.toUpperCase()} object names (extensions.objectFormat = ${format}); agent-track writes SHA-1 repositories only, so it wrote nothing here`
        );
      }
    };
    formats = /* @__PURE__ */ new Map();
  }
});

// src/store/git.ts
import { execFileSync } from "node:child_process";
import { createHash as createHash5 } from "node:crypto";
import * as fs9 from "node:fs";
import * as os from "node:os";
import * as path9 from "node:path";
import { crc32, deflateSync, inflateSync } from "node:zlib";
import git2 from "isomorphic-git";
function sortTree(entries) {
  const keyed = entries.map((e) => ({ e, k: Buffer.from(e.type === "tree" ? `${e.path}/` : e.path) }));
  return keyed.sort((a, b) => Buffer.compare(a.k, b.k)).map((x) => x.e);
}
function looseObjectValid(file, oid) {
  try {
    const full = inflateSync(fs9.readFileSync(file));
    return createHash5("sha1").update(full).digest("hex") === oid;
  } catch {
    return false;
  }
}
function writePack(packDir, objects) {
  const oids = [...objects.keys()].sort();
  const deflated = oids.map((oid) => deflateSync(objects.get(oid).content, { level: 1 }));
  const packHash = createHash5("sha1");
  const chunks = [];
  const push = (b) => {
    chunks.push(b);
    packHash.update(b);
  };
  const header = Buffer.alloc(12);
  header.write("PACK", 0, "latin1");
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(oids.length, 8);
  push(header);
  let offset = 12;
  const offsets = [];
  const crcs = [];
  for (let k = 0; k < oids.length; k++) {
    const { type, content } = objects.get(oids[k]);
    const head = [];
    let size2 = content.length;
    let byte = PACK_TYPE[type] << 4 | size2 & 15;
    size2 = Math.floor(size2 / 16);
    while (size2 > 0) {
      head.push(byte | 128);
      byte = size2 & 127;
      size2 = Math.floor(size2 / 128);
    }
    head.push(byte);
    const entry = Buffer.concat([Buffer.from(head), deflated[k]]);
    offsets.push(offset);
    crcs.push(crc32(entry));
    push(entry);
    offset += entry.length;
  }
  const packSum = packHash.digest();
  chunks.push(packSum);
  const n2 = oids.length;
  const large = offsets.filter((o) => o >= 2147483648);
  const idx = Buffer.alloc(8 + 256 * 4 + n2 * 20 + n2 * 4 + n2 * 4 + large.length * 8 + 40);
  idx.writeUInt32BE(4285812579, 0);
  idx.writeUInt32BE(2, 4);
  const fanout = new Array(256).fill(0);
  for (const oid of oids) fanout[Number.parseInt(oid.slice(0, 2), 16)]++;
  let total = 0;
  for (let i = 0; i < 256; i++) {
    total += fanout[i];
    idx.writeUInt32BE(total, 8 + i * 4);
  }
  let at = 8 + 1024;
  for (const oid of oids) at += idx.write(oid, at, "hex");
  for (const c of crcs) at = idx.writeUInt32BE(c >>> 0, at);
  let li = 0;
  for (const o of offsets) at = idx.writeUInt32BE(o >= 2147483648 ? (2147483648 | li++) >>> 0 : o, at);
  for (const o of large) {
    at = idx.writeUInt32BE(Math.floor(o / 2 ** 32), at);
    at = idx.writeUInt32BE(o % 2 ** 32, at);
  }
  at += packSum.copy(idx, at);
  createHash5("sha1").update(idx.subarray(0, at)).digest().copy(idx, at);
  mkdirOwned(packDir);
  const name = path9.join(packDir, `pack-${packSum.toString("hex")}`);
  const keep = `${name}.keep`;
  writeFileDurable(keep, `agent-track ${process.pid} ${os.hostname()}
`, { tmpPrefix: "tmp_keep_" });
  writeFileDurable(`${name}.pack`, chunks, { mode: 292, tmpPrefix: "tmp_pack_" });
  writeFileDurable(`${name}.idx`, idx, { mode: 292, tmpPrefix: "tmp_idx_" });
  return keep;
}
function removeStaleKeeps(gitdir, alive) {
  const dir = path9.join(gitdir, "objects", "pack");
  let names;
  try {
    names = fs9.readdirSync(dir).filter((n2) => n2.endsWith(".keep"));
  } catch {
    return;
  }
  for (const n2 of names) {
    try {
      const m = /^agent-track (\d+) (\S+)$/.exec(fs9.readFileSync(path9.join(dir, n2), "utf8").trim());
      if (m && m[2] === os.hostname() && !alive(Number(m[1]))) fs9.unlinkSync(path9.join(dir, n2));
    } catch {
    }
  }
}
function gitIdentity(cwd) {
  const known = identities.get(cwd);
  if (known) return known;
  const who2 = readIdentity(cwd);
  identities.set(cwd, who2);
  return who2;
}
function readIdentity(cwd) {
  const get = (key) => {
    try {
      return execFileSync("git", ["config", "--get", key], {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"]
      }).trim();
    } catch {
      return "";
    }
  };
  const name = process.env.GIT_AUTHOR_NAME || get("user.name");
  const email = process.env.GIT_AUTHOR_EMAIL || get("user.email");
  return { name: name || "agent-track", email: email || "agent-track@localhost" };
}
function removeOldTempObjects(gitdir, marker) {
  if (fs9.existsSync(marker)) return 0;
  const objects = path9.join(gitdir, "objects");
  let removed = 0;
  let dirs = [];
  try {
    dirs = fs9.readdirSync(objects).filter((d) => /^[0-9a-f]{2}$/.test(d));
  } catch {
  }
  for (const d of dirs) {
    let names;
    try {
      names = fs9.readdirSync(path9.join(objects, d));
    } catch {
      continue;
    }
    for (const n2 of names) {
      if (!/^tmp_[0-9a-f]{38}_\d+_\d+$/.test(n2)) continue;
      const file = path9.join(objects, d, n2);
      try {
        if (Date.now() - fs9.statSync(file).mtimeMs < 10 * 6e4) continue;
        fs9.unlinkSync(file);
        removed++;
      } catch {
      }
    }
  }
  try {
    writeFileDurable(marker, `${(/* @__PURE__ */ new Date()).toISOString()} ${removed}
`, { fsync: false });
  } catch {
  }
  return removed;
}
var treeMode, PACK_TYPE, PACK_THRESHOLD, ObjectStore, identities;
var init_git = __esm({
  "src/store/git.ts"() {
    "use strict";
    init_fsutil();
    init_owner();
    init_paths();
    treeMode = (mode) => mode === "040000" ? "40000" : mode;
    PACK_TYPE = { commit: 1, tree: 2, blob: 3 };
    PACK_THRESHOLD = 32;
    ObjectStore = class {
      constructor(gitdir) {
        this.gitdir = gitdir;
        assertWritableFormat(gitdir);
      }
      gitdir;
      batch = null;
      /**
       * isomorphic-git's cache of parsed packfiles: without it every read of a packed object (a fresh
       * clone, after `git gc`) loads and parses the pack's index again.
       */
      cache = {};
      /**
       * Loose objects written since the last `settle()`, with their content: a `git gc --prune=now`
       * between our write and the ref update deletes them as unreachable, and `settle` writes them again
       * once the branch reaches them. Capped, so a long-lived store does not hold everything it wrote.
       */
      unsettled = /* @__PURE__ */ new Map();
      unsettledBytes = 0;
      keeps = [];
      /** Every object id written (loose or packed) since the last `settle()`. */
      written = /* @__PURE__ */ new Set();
      /**
       * Writes a loose object the way git does (zlib level 1, git's default core.looseCompression), through
       * a temporary file renamed into place, so a crash never leaves a truncated object and concurrent
       * writers of the same object agree. Synchronous: for many small objects it is several times faster
       * than isomorphic-git's writer (web-stream deflate, a repository discovery per object).
       */
      writeObjectSync(type, content) {
        const head = Buffer.from(`${type} ${content.length}\0`);
        const oid = createHash5("sha1").update(head).update(content).digest("hex");
        this.written.add(oid);
        if (this.batch) {
          this.batch.set(oid, { type, content: Buffer.from(content) });
          return oid;
        }
        this.writeLoose(oid, Buffer.concat([head, content]));
        return oid;
      }
      /** Holds every object written until `endBatch`, which writes them as one pack when there are many. */
      startBatch() {
        this.batch ??= /* @__PURE__ */ new Map();
      }
      async endBatch() {
        const batch = this.batch;
        this.batch = null;
        if (!batch || batch.size === 0) return;
        if (batch.size >= PACK_THRESHOLD)
          this.keeps.push(writePack(path9.join(this.gitdir, "objects", "pack"), batch));
        else
          for (const [oid, { type, content }] of batch)
            this.writeLoose(oid, Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]));
      }
      looseFile(oid) {
        return path9.join(this.gitdir, "objects", oid.slice(0, 2), oid.slice(2));
      }
      /**
       * A loose object that exists already is skipped only when it is whole: a file truncated by a full
       * disk (written by an older version, or by another tool) is written again, not trusted for ever.
       */
      writeLoose(oid, full) {
        const file = this.looseFile(oid);
        if (this.unsettledBytes + full.length <= 16 << 20) {
          this.unsettled.set(oid, full);
          this.unsettledBytes += full.length;
        }
        if (fs9.existsSync(file) && looseObjectValid(file, oid)) return;
        writeFileDurable(file, deflateSync(full, { level: 1 }), { mode: 292, tmpPrefix: "tmp_obj_" });
      }
      /**
       * Once the ref reaches what was written: loose objects a concurrent prune deleted are written again
       * (they are reachable now, so no later prune takes them), and the packs' .keep files are removed.
       * Returns how many objects had vanished.
       */
      settle() {
        let rewritten = 0;
        for (const [oid, full] of this.unsettled) {
          if (fs9.existsSync(this.looseFile(oid))) continue;
          this.writeLoose(oid, full);
          rewritten++;
        }
        this.dropKeeps();
        this.unsettled.clear();
        this.unsettledBytes = 0;
        this.written.clear();
        return rewritten;
      }
      /** Removes this store's .keep files (after a lost race too: the pack is garbage gc may collect). */
      dropKeeps() {
        for (const k of this.keeps.splice(0)) fs9.rmSync(k, { force: true });
      }
      /** Only redacted content becomes a blob (see src/model/redact.ts: redactForStore, redactBytes). */
      writeBlobSync(content) {
        return this.writeObjectSync("blob", typeof content === "string" ? Buffer.from(content, "utf8") : content);
      }
      async writeBlob(content) {
        return this.writeBlobSync(content);
      }
      writeTreeSync(entries) {
        const parts = [];
        for (const e of sortTree(entries)) {
          parts.push(Buffer.from(`${treeMode(e.mode)} ${e.path}\0`), Buffer.from(e.oid, "hex"));
        }
        return this.writeObjectSync("tree", Buffer.concat(parts));
      }
      async writeTree(entries) {
        return this.writeTreeSync(entries);
      }
      async readTree(oid) {
        if (this.batch?.has(oid)) throw new Error(`tree ${oid} is not written yet (read inside a batch)`);
        const { tree } = await git2.readTree({ fs: fs9, gitdir: this.gitdir, oid, cache: this.cache });
        return tree;
      }
      async readBlob(oid) {
        const { blob } = await git2.readBlob({ fs: fs9, gitdir: this.gitdir, oid, cache: this.cache });
        return Buffer.from(blob).toString("utf8");
      }
      async readCommit(oid) {
        const { commit } = await git2.readCommit({ fs: fs9, gitdir: this.gitdir, oid, cache: this.cache });
        return commit;
      }
      /** A commit, written like every other object (atomically: a reader never sees half of it). */
      async writeCommit(tree, parents, message, who2) {
        const now = /* @__PURE__ */ new Date();
        const offset = -now.getTimezoneOffset();
        const abs = Math.abs(offset);
        const tz = `${offset >= 0 ? "+" : "-"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
        const clean2 = (v) => v.replace(/[<>\n]/g, "").trim();
        const sig = `${clean2(who2.name)} <${clean2(who2.email)}> ${Math.floor(now.getTime() / 1e3)} ${tz}`;
        const text2 = [
          `tree ${tree}`,
          ...parents.map((p) => `parent ${p}`),
          `author ${sig}`,
          `committer ${sig}`,
          "",
          message.endsWith("\n") ? message : `${message}
`
        ].join("\n");
        return this.writeObjectSync("commit", Buffer.from(text2, "utf8"));
      }
    };
    identities = /* @__PURE__ */ new Map();
  }
});

// src/store/lock.ts
import * as fs10 from "node:fs";
import * as os2 from "node:os";
import * as path10 from "node:path";
function tryCreate(file, content) {
  try {
    const fd = fs10.openSync(file, "wx");
    try {
      fs10.writeSync(fd, content);
    } finally {
      fs10.closeSync(fd);
    }
    return true;
  } catch (e) {
    if (e.code === "EEXIST") return false;
    throw e;
  }
}
function startTime(pid) {
  try {
    const stat = fs10.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  } catch {
    return null;
  }
}
function holderGone(h) {
  if (h.host !== os2.hostname()) return false;
  if (!pidAlive(h.pid)) return true;
  const now = startTime(h.pid);
  return h.start !== null && now !== null && now !== h.start;
}
function readOwner(file) {
  try {
    const o = JSON.parse(fs10.readFileSync(file, "utf8"));
    return typeof o.pid === "number" && typeof o.host === "string" && typeof o.ino === "number" ? o : null;
  } catch {
    return null;
  }
}
function takeOverIfGone(lockFile, owner) {
  const o = readOwner(owner);
  let st;
  try {
    st = fs10.statSync(lockFile);
  } catch {
    return true;
  }
  if (!o || o.ino !== st.ino || !holderGone(o)) return false;
  const aside = path10.join(path10.dirname(owner), `stale-${process.pid}-${st.ino}`);
  try {
    fs10.renameSync(lockFile, aside);
  } catch {
    return true;
  }
  if (fs10.statSync(aside).ino === o.ino) {
    fs10.rmSync(aside, { force: true });
    return true;
  }
  try {
    fs10.linkSync(aside, lockFile);
  } catch {
  }
  fs10.rmSync(aside, { force: true });
  return false;
}
function holdInLock() {
  const file = process.env.AGENT_TRACK_HOLD_IN_REF_LOCK;
  if (!file || fs10.existsSync(`${file}.done`)) return;
  fs10.writeFileSync(file, String(process.pid));
  const wait = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 6e4;
  while (fs10.existsSync(file) && Date.now() < until) Atomics.wait(wait, 0, 0, 20);
  fs10.writeFileSync(`${file}.done`, "");
}
async function updateRefCAS(commonDir, ref, newOid, expectedOld, timeoutMs = 15e3) {
  assertWritableFormat(commonDir);
  const where = checkedOutIn(commonDir, ref);
  if (where) throw new BranchCheckedOutError(ref, where);
  const refFile = path10.join(commonDir, ref);
  const lockFile = `${refFile}.lock`;
  const owner = ownerFile(commonDir, ref);
  mkdirOwned(path10.dirname(refFile));
  mkdirOwned(path10.dirname(owner));
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  while (!tryCreate(lockFile, `${newOid}
`)) {
    if (takeOverIfGone(lockFile, owner)) continue;
    if (Date.now() > deadline) {
      const o = readOwner(owner);
      let ino2 = -1;
      try {
        ino2 = fs10.statSync(lockFile).ino;
      } catch {
      }
      const who2 = o && o.ino === ino2 ? `process ${o.pid} on ${o.host}, still running` : "another git process";
      throw new RefLockTimeout(
        `could not lock ${ref}: ${lockFile} is held by ${who2}; remove that file only if no such process is running`
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  let ino;
  try {
    ino = fs10.statSync(lockFile).ino;
    fs10.writeFileSync(owner, JSON.stringify({ ...me(), ino }));
    own(owner);
    own(lockFile);
  } catch (e) {
    fs10.rmSync(lockFile, { force: true });
    throw e;
  }
  const mine = () => {
    try {
      return fs10.statSync(lockFile).ino === ino;
    } catch {
      return false;
    }
  };
  const release = () => {
    if (mine()) fs10.rmSync(lockFile, { force: true });
  };
  try {
    holdInLock();
    if (readRef(commonDir, ref) !== expectedOld) {
      release();
      return false;
    }
    if (!mine()) return false;
    fs10.renameSync(lockFile, refFile);
    return readRef(commonDir, ref) === newOid;
  } catch (e) {
    release();
    if (e.code === "ENOENT") return false;
    throw e;
  } finally {
    try {
      if (readOwner(owner)?.ino === ino) fs10.rmSync(owner, { force: true });
    } catch {
    }
  }
}
async function acquireMutex(file, waitMs) {
  mkdirOwned(path10.dirname(file));
  const self = me();
  const content = `${self.pid} ${self.host} ${self.start ?? "-"}
`;
  const deadline = Date.now() + waitMs;
  for (; ; ) {
    if (tryCreate(file, content)) {
      own(file);
      return () => {
        try {
          if (fs10.readFileSync(file, "utf8") === content) fs10.unlinkSync(file);
        } catch {
        }
      };
    }
    try {
      const st = fs10.statSync(file);
      const [pid, host, start] = fs10.readFileSync(file, "utf8").trim().split(" ");
      const n2 = Number(pid);
      const gone = !Number.isInteger(n2) || n2 <= 0 ? Date.now() - st.mtimeMs > 5e3 : holderGone({
        pid: n2,
        host: host ?? os2.hostname(),
        start: start && start !== "-" ? Number(start) : null
      });
      if (gone && fs10.statSync(file).ino === st.ino) fs10.unlinkSync(file);
    } catch {
    }
    if (Date.now() >= deadline) return null;
    await sleep(20);
  }
}
var sleep, pidAlive, me, ownerFile, RefLockTimeout;
var init_lock = __esm({
  "src/store/lock.ts"() {
    "use strict";
    init_owner();
    init_paths();
    sleep = (ms) => new Promise((r2) => setTimeout(r2, ms));
    pidAlive = (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return e.code === "EPERM";
      }
    };
    me = () => ({ pid: process.pid, host: os2.hostname(), start: startTime(process.pid) });
    ownerFile = (commonDir, ref) => path10.join(commonDir, "agent-tracking", "locks", `${ref.replace(/\//g, "%2F")}.owner`);
    RefLockTimeout = class extends Error {
    };
  }
});

// src/store/spool.ts
import * as fs11 from "node:fs";
import * as path11 from "node:path";
function rawCount(paths) {
  try {
    return fs11.readdirSync(rawSpoolDir(paths)).filter((n2) => RAW_NAME.test(n2)).length;
  } catch {
    return 0;
  }
}
function rawWaiting(paths) {
  try {
    return fs11.readdirSync(rawSpoolDir(paths)).some((n2) => RAW_NAME.test(n2) || n2 === RAW_NOTE);
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
    fd = fs11.openSync(file, "a+");
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
    mkdirOwned(paths.spoolDir);
    fd = fs11.openSync(file, "a+");
  }
  own(file);
  try {
    appendWhole(fd, Buffer.from(data, "utf8"));
    return { file, size: fs11.fstatSync(fd).size };
  } finally {
    fs11.closeSync(fd);
  }
}
function writeOffset(spool, value) {
  writeFileDurable(offsetFile(spool), `${value.ino}:${value.offset}
`, { fsync: false });
}
function readSlice(file, from, bytes) {
  const fd = fs11.openSync(file, "r");
  try {
    const size2 = fs11.fstatSync(fd).size;
    const n2 = Math.min(size2, bytes);
    const buf = Buffer.allocUnsafe(n2);
    fs11.readSync(fd, buf, 0, n2, from === "head" ? 0 : size2 - n2);
    return buf.toString("utf8");
  } finally {
    fs11.closeSync(fd);
  }
}
function recentSpooledSessions(paths, limit, exclude) {
  let names;
  try {
    names = fs11.readdirSync(paths.spoolDir).filter((f) => f.endsWith(".jsonl"));
  } catch {
    return [];
  }
  const files = names.filter((f) => f !== `${safeSessionId(exclude)}.jsonl`).map((f) => {
    try {
      return { f, mtimeMs: fs11.statSync(path11.join(paths.spoolDir, f)).mtimeMs };
    } catch {
      return null;
    }
  }).filter((x) => x !== null).sort((a, b) => b.mtimeMs - a.mtimeMs).slice(0, limit);
  const out2 = [];
  for (const { f, mtimeMs } of files) {
    const file = path11.join(paths.spoolDir, f);
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
    out2.push(info);
  }
  return out2;
}
var safeSessionId, spoolFile, offsetFile, rawSpoolDir, rawLockFile, RAW_NAME, RAW_NOTE;
var init_spool = __esm({
  "src/store/spool.ts"() {
    "use strict";
    init_fsutil();
    init_owner();
    safeSessionId = (s2) => s2.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 128) || "unknown";
    spoolFile = (paths, session) => path11.join(paths.spoolDir, `${safeSessionId(session)}.jsonl`);
    offsetFile = (spool) => spool.replace(/\.jsonl$/, ".offset");
    rawSpoolDir = (paths) => path11.join(paths.trackingDir, "raw");
    rawLockFile = (paths) => path11.join(paths.trackingDir, "raw.lock");
    RAW_NAME = /^(\d+)-(\d+)\.json$/;
    RAW_NOTE = ".converting";
  }
});

// src/store/tree.ts
import { createHash as createHash6 } from "node:crypto";
async function mapLimit(items, limit, fn) {
  const out2 = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out2[k] = await fn(items[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out2;
}
var parentOf, baseOf, TreeEditor, childPath;
var init_tree = __esm({
  "src/store/tree.ts"() {
    "use strict";
    init_config();
    init_redact();
    parentOf = (p) => p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "";
    baseOf = (p) => p.includes("/") ? p.slice(p.lastIndexOf("/") + 1) : p;
    TreeEditor = class {
      constructor(store, rootOid, cache = {}) {
        this.store = store;
        this.rootOid = rootOid;
        this.trees = new Map(Object.entries(cache));
        if (rootOid === null) this.trees.set("", []);
      }
      store;
      rootOid;
      /** Entries by directory path ('' is the root), for the trees read or written. */
      trees;
      dirty = /* @__PURE__ */ new Set();
      /** Entries of a directory, or null when it does not exist. */
      async list(dir) {
        const cached = this.trees.get(dir);
        if (cached) return cached;
        let oid;
        if (dir === "") oid = this.rootOid;
        else {
          const parent = await this.list(parentOf(dir));
          oid = parent?.find((e) => e.path === baseOf(dir) && e.type === "tree")?.oid ?? null;
        }
        if (!oid) return null;
        const entries = await this.store.readTree(oid);
        this.trees.set(dir, entries);
        return entries;
      }
      async readFile(file) {
        const entry = (await this.list(parentOf(file)))?.find(
          (e) => e.path === baseOf(file) && e.type === "blob"
        );
        return entry ? this.store.readBlob(entry.oid) : null;
      }
      staged = /* @__PURE__ */ new Map();
      /**
       * Queues a file for write(), which writes all queued blobs concurrently (object writes are I/O bound).
       * Only redacted text is accepted: what reaches a git object went through the redactor's full pass.
       */
      stageFile(file, content) {
        this.staged.set(file, content);
      }
      /** Whether a file exists, counting the staged ones. */
      async has(file) {
        if (this.staged.has(file)) return true;
        return Boolean((await this.list(parentOf(file)))?.some((e) => e.path === baseOf(file)));
      }
      /** Points `dir` at an existing tree (a subtree laid back from elsewhere); nothing under it is read. */
      async setTree(dir, oid) {
        for (const key of [...this.trees.keys()])
          if (key === dir || key.startsWith(`${dir}/`)) this.trees.delete(key);
        for (const key of [...this.staged.keys()]) if (key.startsWith(`${dir}/`)) this.staged.delete(key);
        await this.setEntry(parentOf(dir), { mode: "040000", path: baseOf(dir), oid, type: "tree" });
      }
      /** Points `file` at an existing blob (copied from elsewhere on the branch). */
      async setBlob(file, entry) {
        for (const key of [...this.trees.keys()])
          if (key === file || key.startsWith(`${file}/`)) this.trees.delete(key);
        this.staged.delete(file);
        await this.setEntry(parentOf(file), { ...entry, path: baseOf(file) });
      }
      async remove(path43) {
        const dir = parentOf(path43);
        const entries = await this.list(dir);
        if (!entries) return;
        this.trees.set(
          dir,
          entries.filter((e) => e.path !== baseOf(path43))
        );
        this.markDirty(dir);
      }
      async setEntry(dir, entry) {
        const entries = await this.list(dir) ?? await this.mkdir(dir);
        const i = entries.findIndex((e) => e.path === entry.path);
        const next = [...entries];
        if (i >= 0) next[i] = entry;
        else next.push(entry);
        this.trees.set(dir, next);
        this.markDirty(dir);
      }
      async mkdir(dir) {
        if (dir !== "")
          await this.setEntry(parentOf(dir), { mode: "040000", path: baseOf(dir), oid: "", type: "tree" });
        this.trees.set(dir, []);
        return [];
      }
      markDirty(dir) {
        for (let d = dir; ; d = parentOf(d)) {
          this.dirty.add(d);
          if (d === "") break;
        }
      }
      /**
       * Files over the cap on one object: an event segment is split at line ends into consecutive
       * segments (a line over the cap has its longest values capped, as a tool output is); any other
       * file keeps its head (whole lines up to the cap) and `<file>.cut.json` records what was cut
       * (its size and sha256, and the whole file's).
       */
      async capLarge(staged, cap) {
        const out2 = [];
        const names = new Set(staged.map(([f]) => f));
        for (const [file, content] of staged) {
          const bytes = Buffer.byteLength(content);
          if (bytes <= cap) {
            out2.push([file, content]);
            continue;
          }
          const seg = /^(.*\/events)\/(\d{6,})\.jsonl$/.exec(file);
          const runs2 = redactedLineRuns(content, cap);
          if (seg) {
            const dir = seg[1];
            const taken = /* @__PURE__ */ new Set([
              ...(await this.list(dir) ?? []).map((e) => e.path),
              ...[...names].filter((n3) => n3.startsWith(`${dir}/`)).map((n3) => baseOf(n3))
            ]);
            let n2 = Number.parseInt(seg[2], 10);
            for (const [k, run] of runs2.entries()) {
              let name = k === 0 ? baseOf(file) : "";
              while (!name) {
                n2++;
                const candidate = `${String(n2).padStart(seg[2].length, "0")}.jsonl`;
                if (!taken.has(candidate)) name = candidate;
              }
              taken.add(name);
              if (Buffer.byteLength(run) <= cap) out2.push([`${dir}/${name}`, run]);
              else out2.push(...this.cutFile(`${dir}/${name}`, run, cap));
            }
            continue;
          }
          out2.push(...this.cutFile(file, content, cap, runs2[0]));
        }
        return out2;
      }
      cutFile(file, content, cap, head) {
        const kept = head && Buffer.byteLength(head) <= cap ? head : redactForStore("");
        const all = Buffer.from(content, "utf8");
        const cut2 = all.subarray(Buffer.byteLength(kept));
        const record = {
          path: baseOf(file),
          bytes: all.length,
          sha256: createHash6("sha256").update(all).digest("hex"),
          keptBytes: Buffer.byteLength(kept),
          cutBytes: cut2.length,
          cutSha256: createHash6("sha256").update(cut2).digest("hex"),
          reason: `over the branch's cap of ${cap} bytes on one object`
        };
        return [
          [file, kept],
          [`${file}.cut.json`, redactForStore(`${JSON.stringify(record, null, 2)}
`)]
        ];
      }
      /** Writes every changed tree, deepest first; returns the new root tree's oid. */
      async write(cap = BLOB_CAP_BYTES) {
        const staged = await this.capLarge([...this.staged], cap);
        this.staged.clear();
        const oids = await mapLimit(staged, 16, ([, content]) => this.store.writeBlob(content));
        for (let k = 0; k < staged.length; k++) {
          await this.setEntry(parentOf(staged[k][0]), {
            mode: "100644",
            path: baseOf(staged[k][0]),
            oid: oids[k],
            type: "blob"
          });
        }
        const byDepth = /* @__PURE__ */ new Map();
        for (const dir of this.dirty) {
          const depth = dir === "" ? 0 : dir.split("/").length;
          byDepth.set(depth, [...byDepth.get(depth) ?? [], dir]);
        }
        let rootOid = this.rootOid ?? "";
        for (const depth of [...byDepth.keys()].sort((a, b) => b - a)) {
          const dirs = byDepth.get(depth);
          const lists = dirs.map(
            (dir) => (this.trees.get(dir) ?? []).filter(
              (e) => e.type !== "tree" || this.trees.get(childPath(dir, e.path))?.length !== 0
            )
          );
          const treeOids = await mapLimit(lists, 16, (entries) => this.store.writeTree(entries));
          const byParent = /* @__PURE__ */ new Map();
          dirs.forEach((dir, k) => {
            this.trees.set(dir, lists[k]);
            if (dir === "") rootOid = treeOids[k];
            else {
              const children = byParent.get(parentOf(dir)) ?? /* @__PURE__ */ new Map();
              children.set(baseOf(dir), treeOids[k]);
              byParent.set(parentOf(dir), children);
            }
          });
          for (const [parentDir, children] of byParent) {
            const parent = this.trees.get(parentDir);
            this.trees.set(
              parentDir,
              parent.map((e) => {
                const oid = e.type === "tree" ? children.get(e.path) : void 0;
                return oid === void 0 ? e : { ...e, oid };
              })
            );
          }
        }
        this.dirty.clear();
        this.rootOid = rootOid;
        return rootOid;
      }
      /** The cache to keep for the next flush: the trees a flush will touch again. */
      snapshot(keep) {
        const out2 = {};
        for (const [dir, entries] of this.trees) if (keep(dir)) out2[dir] = entries;
        return out2;
      }
    };
    childPath = (dir, name) => dir === "" ? name : `${dir}/${name}`;
  }
});

// src/store/userspool.ts
import * as fs12 from "node:fs";
import * as os3 from "node:os";
import * as path12 from "node:path";
function userStateRoot(env = process.env) {
  const xdg = env.XDG_STATE_HOME;
  if (xdg && path12.isAbsolute(xdg)) return path12.join(xdg, "agent-tracking");
  let home = "";
  try {
    home = os3.homedir();
  } catch {
    return null;
  }
  return home && path12.isAbsolute(home) ? path12.join(home, ".local", "state", "agent-tracking") : null;
}
function pathHash(s2) {
  let h1 = 2166136261;
  let h2 = 84696351;
  for (let i = 0; i < s2.length; i++) {
    const c = s2.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c, 16777619) >>> 0;
    h2 = (h2 ^ h1 >>> 13) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
}
function repoKey(paths) {
  let key = keys.get(paths.commonDir);
  if (key === void 0) {
    let real2 = paths.commonDir;
    try {
      real2 = fs12.realpathSync.native(paths.commonDir);
    } catch {
    }
    const name = path12.basename(paths.workTree).replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 40) || "repo";
    key = `${name}-${pathHash(real2)}`;
    keys.set(paths.commonDir, key);
  }
  return key;
}
function userRepoDir(paths) {
  const root = userStateRoot();
  return root ? path12.join(root, repoKey(paths)) : null;
}
function removeEmptyUserSpool(paths) {
  const dir = userSpoolDir(paths);
  if (!dir) return;
  try {
    fs12.rmdirSync(dir);
  } catch {
    return;
  }
  const repoDir = path12.dirname(dir);
  try {
    fs12.rmSync(path12.join(repoDir, "repository"), { force: true });
    fs12.rmdirSync(repoDir);
  } catch {
  }
}
function userSpoolEvents(paths) {
  const dir = userSpoolDir(paths);
  let n2 = 0;
  try {
    for (const f of fs12.readdirSync(dir ?? ""))
      if (f.endsWith(".jsonl")) {
        for (const c of fs12.readFileSync(path12.join(dir, f))) if (c === 10) n2++;
      }
  } catch {
  }
  return n2;
}
var keys, userSpoolDir, isReadOnlyError, ReadOnlyRepositoryError;
var init_userspool = __esm({
  "src/store/userspool.ts"() {
    "use strict";
    init_fsutil();
    init_spool();
    keys = /* @__PURE__ */ new Map();
    userSpoolDir = (paths) => {
      const d = userRepoDir(paths);
      return d ? path12.join(d, "spool") : null;
    };
    isReadOnlyError = (e) => ["EACCES", "EPERM", "EROFS"].includes(e?.code ?? "");
    ReadOnlyRepositoryError = class extends Error {
      constructor(paths, cause) {
        const code2 = cause?.code ?? "read-only";
        const waiting = userSpoolEvents(paths);
        super(
          `${paths.commonDir} cannot be written (${code2}): nothing flushed` + (waiting > 0 ? `; ${waiting} event${waiting === 1 ? " waits" : "s wait"} in ${userSpoolDir(paths)} and go to the branch at the first flush that can write it` : "")
        );
      }
    };
  }
});

// src/store/flush.ts
import * as fs13 from "node:fs";
import * as os4 from "node:os";
import * as path13 from "node:path";
function readState(paths) {
  try {
    const s2 = JSON.parse(fs13.readFileSync(stateFile(paths), "utf8"));
    return validState(s2) ? s2 : null;
  } catch {
    return null;
  }
}
function validState(s2) {
  if (!isObject(s2) || s2.version !== 1 || !oidOrNull(s2.tip) || !oidOrNull(s2.tipTree)) return false;
  if (!isObject(s2.trees) || !isObject(s2.index) || !isObject(s2.spool)) return false;
  if (s2.tip !== null && s2.tipTree === null) return false;
  for (const t of Object.values(s2.trees)) if (!Array.isArray(t)) return false;
  for (const x of Object.values(s2.index))
    if (!isObject(x) || typeof x.session !== "string" || typeof x.dir !== "string") return false;
  for (const o of Object.values(s2.spool))
    if (!isObject(o) || !Number.isSafeInteger(o.ino) || !Number.isSafeInteger(o.offset) || o.offset < 0)
      return false;
  if (s2.written !== void 0 && !(Array.isArray(s2.written) && s2.written.every(oidOrNull))) return false;
  if (s2.history !== void 0 && !(Array.isArray(s2.history) && s2.history.every(oidOrNull))) return false;
  return true;
}
function offsetHolds(fd, offset, last) {
  if (last === void 0) return true;
  if (offset === 0) return last === null;
  if (last === null) return false;
  for (const back of [1 << 16, 1 << 20]) {
    const n2 = Math.min(offset, back);
    const buf = Buffer.allocUnsafe(n2);
    if (fs13.readSync(fd, buf, 0, n2, offset - n2) !== n2 || buf[n2 - 1] !== 10) return false;
    const from = buf.lastIndexOf(10, n2 - 2) + 1;
    if (from === 0 && n2 < offset) continue;
    return parseSpoolLine(buf.subarray(from, n2 - 1).toString("utf8"), () => {
    })?.id === last;
  }
  return false;
}
function writeState(paths, state) {
  writeFileDurable(stateFile(paths), JSON.stringify(state));
}
async function retargetState(paths, from, to) {
  const state = readState(paths);
  if (!state?.tip || state.tip !== from && !isAncestor(paths, state.tip, from)) return;
  const store = new ObjectStore(paths.commonDir);
  const tipTree2 = (await store.readCommit(to)).tree;
  if (tipTree2 === state.tipTree && state.tip === from) {
    writeState(paths, { ...state, tip: to, written: [to], history: [] });
    return;
  }
  const tree = new TreeEditor(store, tipTree2);
  const index = await rebuildIndex(tree, await findSessionDirs(tree));
  writeState(paths, { ...state, tip: to, tipTree: tipTree2, trees: {}, index, written: [to], history: [] });
}
function lastLineId(text2) {
  return parseSpoolLine(text2.subarray(text2.lastIndexOf(10) + 1).toString("utf8"), () => {
  })?.id ?? null;
}
function parseSpoolLine(line, onBadLine) {
  try {
    const e = JSON.parse(line);
    if (isEvent(e)) return e;
    onBadLine(line);
    return null;
  } catch {
  }
  for (let i = line.indexOf('{"', 1), tries = 0; i > 0 && tries < 256; i = line.indexOf('{"', i + 1), tries++) {
    try {
      const e = JSON.parse(line.slice(i));
      if (isEvent(e)) {
        onBadLine(line.slice(0, i));
        return e;
      }
    } catch {
    }
  }
  onBadLine(line);
  return null;
}
function readSpool(paths, offsets, onBadLine) {
  const out2 = [];
  const userDir = userSpoolDir(paths);
  if (userDir) readSpoolDir(userDir, USER_KEY, offsets, onBadLine, out2);
  readSpoolDir(paths.spoolDir, "", offsets, onBadLine, out2);
  return out2;
}
function readSpoolDir(dir, prefix, offsets, onBadLine, out2) {
  let names;
  try {
    names = fs13.readdirSync(dir).filter((n2) => n2.endsWith(".jsonl"));
  } catch {
    return;
  }
  const user = prefix === USER_KEY;
  for (const name of names.sort()) {
    const file = path13.join(dir, name);
    let fd;
    try {
      fd = fs13.openSync(file, "r");
    } catch {
      continue;
    }
    try {
      const st = fs13.fstatSync(fd);
      const known = offsets[prefix + name];
      const holds = known !== void 0 && known.ino === st.ino && known.offset <= st.size && offsetHolds(fd, known.offset, known.last);
      const start = holds ? known.offset : 0;
      const buf = Buffer.allocUnsafe(st.size - start);
      const n2 = fs13.readSync(fd, buf, 0, buf.length, start);
      const lastNl = buf.lastIndexOf(10, n2 - 1);
      const events = [];
      if (lastNl >= 0) {
        for (const line of buf.subarray(0, lastNl).toString("utf8").split("\n")) {
          if (!line.trim()) continue;
          const e = parseSpoolLine(line, onBadLine);
          if (e) events.push(e);
        }
      }
      out2.push({
        file: prefix + name,
        path: file,
        user,
        ino: st.ino,
        start,
        end: start + lastNl + 1,
        size: st.size,
        mtimeMs: st.mtimeMs,
        events,
        // the id on the line ending at `end` (null: not an event line)
        last: lastNl < 0 ? holds ? known.last ?? null : null : lastLineId(buf.subarray(0, lastNl)),
        // read from the start without a trusted offset, or kept while .git was read-only (a flush
        // killed before its state may have committed them): its sessions' events are checked against the branch
        verify: !holds || user
      });
    } finally {
      fs13.closeSync(fd);
    }
  }
}
async function eventsOnBranch(tree, dir) {
  const segs = (await tree.list(`${dir}/events`) ?? []).filter((e) => SEGMENT_RE.test(e.path));
  segs.sort((a, b) => a.path.localeCompare(b.path));
  const out2 = [];
  for (const seg of segs)
    for (const line of (await tree.readFile(`${dir}/events/${seg.path}`) ?? "").split("\n")) {
      if (!line.trim()) continue;
      try {
        out2.push(JSON.parse(line));
      } catch {
      }
    }
  return out2;
}
async function idsOnBranch(tree, dir) {
  const ids = /* @__PURE__ */ new Set();
  for (const seg of await tree.list(`${dir}/events`) ?? []) {
    if (!SEGMENT_RE.test(seg.path)) continue;
    for (const line of (await tree.readFile(`${dir}/events/${seg.path}`) ?? "").split("\n")) {
      const m = /^\{"id":"([^"]+)"/.exec(line);
      if (m) ids.add(m[1]);
      else if (line.trim()) {
        try {
          ids.add(JSON.parse(line).id);
        } catch {
        }
      }
    }
  }
  return ids;
}
async function currentPhase(tree) {
  const open = [];
  for (const e of await tree.list("phases") ?? []) {
    if (e.type !== "tree") continue;
    const entries = await tree.list(`phases/${e.path}`) ?? [];
    if (!entries.some((x) => x.path === "review.json" || x.path === "ended.json" || x.path === "ARCHIVED.json"))
      open.push(e.path);
  }
  return open.sort().at(-1) ?? null;
}
async function commitEvents(paths, store, plan, state, reads, extra, who2, phase2, result) {
  const tip = plan.expected;
  const base = plan.base;
  const fresh = plan.fresh;
  let tipTree2 = null;
  if (fresh && state.tipTree) tipTree2 = state.tipTree;
  else if (base) tipTree2 = (await store.readCommit(base)).tree;
  const tree = new TreeEditor(store, tipTree2, fresh ? state.trees : {});
  let index = state.index;
  let dirs = /* @__PURE__ */ new Map();
  if (fresh) dirs = new Map(Object.values(index).map((s2) => [s2.session, s2.dir]));
  let unified = /* @__PURE__ */ new Map();
  if (!fresh) {
    unified = await unifySessionFolders(tree);
    dirs = await findSessionDirs(tree);
    index = { ...await rebuildIndex(tree, dirs), ...Object.fromEntries(unified) };
  }
  index = { ...index };
  phase2 = await currentPhase(tree) ?? encodeName(phase2);
  const verifying = new Set(reads.filter((r2) => r2.verify).flatMap((r2) => r2.events.map((e) => e.session)));
  const bySession = /* @__PURE__ */ new Map();
  const add = (e) => {
    const list = bySession.get(e.session);
    if (list) list.push(e);
    else bySession.set(e.session, [e]);
  };
  for (const r2 of reads) for (const e of r2.events) add(e);
  for (const e of extra.events) add(e);
  const prepared = /* @__PURE__ */ new Map();
  for (const p of extra.prepared ?? []) {
    if (dirs.has(p.session) || bySession.has(p.session) || prepared.has(p.session)) {
      for (const line of p.text.split("\n")) if (line) add(JSON.parse(line));
    } else prepared.set(p.session, p);
  }
  let written = 0;
  const nextSegment = async (dir) => 1 + Math.max(
    0,
    ...(await tree.list(`${dir}/events`) ?? []).filter((e) => SEGMENT_RE.test(e.path)).map((e) => Number.parseInt(e.path, 10))
  );
  const staged = async (session, dir, summary, count2) => {
    index[session] = summary;
    tree.stageFile(`${dir}/session.json`, redactForStore(`${JSON.stringify(summary, null, 2)}
`));
    const phaseName = dir.split("/")[1];
    if (!await tree.has(`phases/${phaseName}/phase.json`)) {
      tree.stageFile(
        `phases/${phaseName}/phase.json`,
        redactForStore(
          `${JSON.stringify({ name: phaseName, started: summary.started, ended: null }, null, 2)}
`
        )
      );
    }
    written += count2;
    if (!result.sessions.includes(session)) result.sessions.push(session);
  };
  for (const [session, events] of bySession) {
    let dir = dirs.get(session);
    let newEvents = events;
    const failure = events.some((e) => e.type === "error" || e.type === "tool_call" && e.success === false);
    if (dir && (!fresh || failure || extra.verify.includes(session) || verifying.has(session))) {
      const known = await idsOnBranch(tree, dir);
      newEvents = events.filter((e) => !known.has(e.id));
      result.duplicates += events.length - newEvents.length;
    }
    const seen = /* @__PURE__ */ new Set();
    newEvents = newEvents.filter((e) => {
      if (seen.has(e.id)) return false;
      seen.add(e.id);
      return true;
    });
    if (newEvents.length === 0) continue;
    const summaryBefore = index[session];
    if (!dir) {
      const first = newEvents.map((e) => e.ts).sort()[0];
      dir = sessionDir(phase2, first, session);
      dirs.set(session, dir);
    }
    tree.stageFile(
      `${dir}/events/${segmentName(await nextSegment(dir))}`,
      redactForStore(newEvents.map((e) => `${serialized.get(e) ?? JSON.stringify(e)}
`).join(""))
    );
    const fresh0 = {
      ...emptySummary(session, dir.split("/")[1], dir),
      author: summaryBefore?.author ?? who2,
      ...summaryBefore?.transcripts ? { transcripts: summaryBefore.transcripts } : {}
    };
    const summary = summaryBefore && !isCurrentSummary(summaryBefore) ? foldSummary(fresh0, [...await eventsOnBranch(tree, dir), ...newEvents]) : foldSummary(summaryBefore ?? fresh0, newEvents);
    await staged(session, dir, summary, newEvents.length);
  }
  for (const p of prepared.values()) {
    const dir = sessionDir(phase2, p.firstTs, p.session);
    dirs.set(p.session, dir);
    tree.stageFile(`${dir}/events/${segmentName(await nextSegment(dir))}`, redactForStore(p.text));
    const summary = { ...p.summary, phase: dir.split("/")[1], dir, author: who2 };
    await staged(p.session, dir, summary, p.events);
  }
  let filesWritten = unified.size;
  for (const f of extra.branchFiles ?? []) {
    if (!/^phases\/[\w.-]+\/[\w.-]+$/.test(f.path) || !safeTreePath(f.path)) continue;
    tree.stageFile(f.path, f.content);
    filesWritten++;
  }
  for (const f of extra.files ?? []) {
    const dir = dirs.get(f.session);
    if (!dir || !safeTreePath(f.path)) continue;
    tree.stageFile(`${dir}/${f.path}`, f.content);
    filesWritten++;
  }
  const kept = /* @__PURE__ */ new Map();
  for (const t of extra.transcripts ?? []) {
    const dir = dirs.get(t.session);
    const summary = index[t.session];
    if (!dir || !summary) continue;
    const folder = `${dir}/transcripts/${encodeName(t.name)}`;
    const marks = kept.get(t.session) ?? { ...summary.transcripts ?? {} };
    kept.set(t.session, marks);
    if (t.name.endsWith(".meta.json")) {
      if (!await tree.has(`${dir}/transcripts/${encodeName(t.name)}`)) {
        tree.stageFile(`${dir}/transcripts/${encodeName(t.name)}`, t.content);
        filesWritten++;
      }
      continue;
    }
    const have = Math.max(
      marks[t.name] ?? 0,
      ...(await tree.list(folder) ?? []).map((e) => Number(PIECE_RE.exec(e.path)?.[2] ?? 0))
    );
    if (t.start < have) {
      marks[t.name] = have;
      continue;
    }
    tree.stageFile(`${folder}/${pieceName(t.start, t.end)}`, t.content);
    marks[t.name] = t.end;
    filesWritten++;
  }
  for (const [session, marks] of kept) {
    if (JSON.stringify(marks) === JSON.stringify(index[session].transcripts ?? {})) continue;
    filesWritten++;
    const summary = { ...index[session], transcripts: marks };
    index[session] = summary;
    tree.stageFile(`${summary.dir}/session.json`, redactForStore(`${JSON.stringify(summary, null, 2)}
`));
  }
  const spool = { ...state.spool };
  for (const r2 of reads) spool[r2.file] = { ino: r2.ino, offset: r2.end, last: r2.last };
  let newTip = tip;
  let newTree = tipTree2;
  let objects = state.written;
  if (written > 0 || filesWritten > 0 || base !== tip) {
    const host = os4.hostname();
    const status = (x) => sessionStatus(x, { now: Date.now(), host, alive: processAlive, crashedAfterMinutes: 30 });
    tree.stageFile("README.md", redactForStore(renderIndex(Object.values(index), BUILTIN_PRICES, status)));
    store.startBatch();
    const rootTree = await tree.write();
    await store.endBatch();
    newTree = rootTree;
    const sessions = bySession.size + prepared.size;
    const message = written === 0 && extra.message ? extra.message : `agent-track: ${written} event${written === 1 ? "" : "s"} from ${sessions} session${sessions === 1 ? "" : "s"}${extra.message ? `; ${extra.message.replace(/^agent-track: /, "")}` : ""}`;
    newTip = await store.writeCommit(rootTree, base ? [base] : [], message, who2);
    holdBeforeRef();
    if (!await updateRefCAS(paths.commonDir, TRACKING_REF, newTip, tip)) {
      store.dropKeeps();
      return { ok: false, state };
    }
    objects = [...store.written];
    store.settle();
    result.events += written;
    result.commits++;
  }
  const ended = new Set(
    Object.values(index).filter((s2) => s2.ended).map((s2) => s2.dir)
  );
  const trees = tree.snapshot((d) => ![...ended].some((e) => d === e || d.startsWith(`${e}/`)));
  return {
    ok: true,
    state: {
      version: 1,
      tip: newTip,
      tipTree: newTree,
      trees,
      index,
      spool,
      cursors: extra.cursors,
      written: newTip === tip ? state.written : objects,
      history: [...new Set([base, ...state.history ?? []].filter((x) => Boolean(x)))].slice(
        0,
        8
      )
    }
  };
}
function holdBeforeRef() {
  const file = process.env.AGENT_TRACK_HOLD_BEFORE_REF;
  if (!file || held) return;
  held = true;
  fs13.writeFileSync(file, String(process.pid));
  const wait = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 6e4;
  while (fs13.existsSync(file) && Date.now() < until) Atomics.wait(wait, 0, 0, 20);
}
function notice(paths, message) {
  try {
    mkdirOwned(paths.errorsDir);
    fs13.appendFileSync(path13.join(paths.errorsDir, "notices.log"), `${(/* @__PURE__ */ new Date()).toISOString()} ${message}
`);
    own(path13.join(paths.errorsDir, "notices.log"));
  } catch {
  }
}
async function flushSpool(paths, opts = {}) {
  const result = {
    events: 0,
    notices: [],
    sessions: [],
    commits: 0,
    skippedLines: 0,
    duplicates: 0
  };
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const seen = /* @__PURE__ */ new Map();
  let left = 0;
  const given = opts.convertRaw;
  const convertRaw2 = given ? async () => {
    const r2 = await given();
    left = r2?.left ?? 0;
    return r2;
  } : void 0;
  for (let pass = 0; pass < 50; pass++) {
    const o = { ...opts, convertRaw: convertRaw2, ...pass === 0 ? {} : { waitMs: 0 } };
    if (!await flushPass(paths, o, result, seen)) break;
    if (!spoolGrew(paths, seen) && !(convertRaw2 && rawCount(paths) > left)) break;
  }
  return result;
}
function spoolGrew(paths, seen) {
  const userDir = userSpoolDir(paths);
  for (const dir of userDir ? [paths.spoolDir, userDir] : [paths.spoolDir]) {
    let names;
    try {
      names = fs13.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n2 of names) {
      if (!n2.endsWith(".jsonl")) continue;
      const file = path13.join(dir, n2);
      if (fileSize(file) > (seen.get(file) ?? 0)) return true;
    }
  }
  return false;
}
async function flushPass(paths, opts, result, seen) {
  let release;
  try {
    release = await acquireMutex(path13.join(paths.trackingDir, "flush.lock"), opts.waitMs ?? 0);
  } catch (e) {
    if (isReadOnlyError(e)) throw new ReadOnlyRepositoryError(paths, e);
    throw e;
  }
  if (!release) return false;
  const saw = (reads) => {
    for (const r2 of reads) seen.set(r2.path, r2.size);
  };
  try {
    removeStaleKeeps(paths.commonDir, pidAlive);
    removeOldTempObjects(paths.commonDir, path13.join(paths.trackingDir, "cache", "swept-old-temps"));
    const config = await loadConfig(paths);
    let who2 = null;
    let carried = null;
    for (let round2 = 0; round2 < 1e3; round2++) {
      let state = carried ?? readState(paths) ?? {
        version: 1,
        tip: null,
        tipTree: null,
        trees: {},
        index: {},
        spool: {}
      };
      const store = new ObjectStore(paths.commonDir);
      if (opts.convertRaw) await opts.convertRaw();
      let plan = await planBase(paths, store, state, readRef(paths.commonDir, TRACKING_REF));
      const bad = [];
      let reads = readSpool(paths, plan.rereadAll ? {} : state.spool, (l) => bad.push(l));
      saw(reads);
      if (bad.length) {
        result.skippedLines += bad.length;
        mkdirOwned(paths.errorsDir);
        fs13.appendFileSync(
          path13.join(paths.errorsDir, "spool-bad-lines.jsonl"),
          bad.map((l) => `${JSON.stringify({ line: l.slice(0, 4096) })}
`).join("")
        );
        own(path13.join(paths.errorsDir, "spool-bad-lines.jsonl"));
      }
      let pending = reads.filter((r2) => r2.end > r2.start);
      const cursors = plan.rereadAll ? void 0 : state.cursors;
      const extra = opts.collect ? await opts.collect({ events: pending.flatMap((r2) => r2.events), index: state.index, cursors }) : { events: [], cursors, verify: [] };
      if (pending.length === 0 && extra.events.length === 0 && !extra.prepared?.length && !extra.files?.length && !extra.branchFiles?.length && !extra.transcripts?.length && plan.fresh) {
        const rawRelease = rawWaiting(paths) ? null : await acquireMutex(rawLockFile(paths), 0);
        if (rawRelease)
          try {
            if (!rawWaiting(paths)) cleanupSpool(paths, state, reads);
          } finally {
            rawRelease();
          }
        break;
      }
      who2 ??= gitIdentity(paths.workTree);
      let attempt = 0;
      for (; ; ) {
        if (plan.notice && !result.notices.includes(plan.notice)) {
          result.notices.push(plan.notice);
          notice(paths, plan.notice);
        }
        const out2 = await commitEvents(paths, store, plan, state, pending, extra, who2, config.phase, result);
        if (out2.ok) {
          state = out2.state;
          break;
        }
        if (++attempt > 20) throw new Error("the agent-tracking branch keeps moving; try again");
        const again = await planBase(paths, store, state, readRef(paths.commonDir, TRACKING_REF));
        if (again.rereadAll && !plan.rereadAll) {
          reads = readSpool(paths, {}, () => {
          });
          saw(reads);
          pending = reads.filter((r2) => r2.end > r2.start);
        }
        plan = { ...again, rereadAll: again.rereadAll || plan.rereadAll };
      }
      if (process.env.AGENT_TRACK_FAULT === "after-ref") process.kill(process.pid, "SIGKILL");
      writeState(paths, state);
      carried = state;
      for (const r2 of reads) {
        if (r2.user) continue;
        try {
          writeOffset(r2.path, { ino: r2.ino, offset: r2.end });
        } catch {
        }
      }
    }
  } catch (e) {
    if (e instanceof BranchCheckedOutError) noticeOnce(paths, "checked-out", e.message);
    throw e;
  } finally {
    release();
  }
  return true;
}
function noticeOnce(paths, key, message) {
  const marker = path13.join(paths.trackingDir, "cache", `notice-${key}`);
  try {
    if (fs13.readFileSync(marker, "utf8") === message) return;
  } catch {
  }
  notice(paths, message);
  try {
    writeFileDurable(marker, message, { fsync: false });
  } catch {
  }
}
function cleanupSpool(paths, state, reads) {
  const quietIn = Math.max(
    0,
    ...reads.filter((r2) => r2.user && r2.end === r2.size && r2.start === r2.size).map((r2) => USER_SPOOL_QUIET_MS + 1 - (Date.now() - r2.mtimeMs))
  );
  if (quietIn > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, quietIn);
  const done2 = reads.filter((r2) => {
    if (r2.user) return r2.end === r2.size && r2.start === r2.size && Date.now() - r2.mtimeMs > USER_SPOOL_QUIET_MS;
    const session = r2.file.replace(/\.jsonl$/, "");
    const s2 = Object.values(state.index).find((x) => safeSessionId(x.session) === session);
    return r2.end === r2.size && r2.start === r2.size && s2?.ended && Date.now() - r2.mtimeMs > 6e4;
  });
  if (!done2.length) {
    if (reads.every((r2) => !r2.user)) removeEmptyUserSpool(paths);
    return;
  }
  const spool = { ...state.spool };
  const renamed = [];
  for (const r2 of done2) {
    const to = `${r2.path}.${r2.ino}.consumed`;
    try {
      fs13.renameSync(r2.path, to);
      renamed.push({ to, r: r2 });
      delete spool[r2.file];
      if (!r2.user) fs13.rmSync(r2.path.replace(/\.jsonl$/, ".offset"), { force: true });
    } catch {
    }
  }
  writeState(paths, { ...state, spool });
  for (const { to, r: r2 } of renamed) {
    if (r2.user && fileSize(to) !== r2.size) {
      try {
        fs13.renameSync(to, `${r2.path.replace(/\.jsonl$/, "")}.${r2.ino}.jsonl`);
        continue;
      } catch {
      }
    }
    fs13.rmSync(to, { force: true });
  }
  removeEmptyUserSpool(paths);
}
async function editBranch(paths, message, edit) {
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const release = await acquireMutex(path13.join(paths.trackingDir, "flush.lock"), 12e4);
  if (!release) throw new Error("another flush holds the lock for too long; try again");
  try {
    const store = new ObjectStore(paths.commonDir);
    for (let attempt = 0; attempt < 20; attempt++) {
      const tip = readRef(paths.commonDir, TRACKING_REF);
      if (!tip) throw new Error("no agent-tracking branch");
      const tree = new TreeEditor(store, (await store.readCommit(tip)).tree);
      await edit(tree);
      const root = await tree.write();
      const commit = await store.writeCommit(root, [tip], message, gitIdentity(paths.workTree));
      if (await updateRefCAS(paths.commonDir, TRACKING_REF, commit, tip)) {
        store.settle();
        return commit;
      }
      store.dropKeeps();
    }
    throw new Error("the agent-tracking branch keeps moving; try again");
  } finally {
    release();
  }
}
function commitWith(paths, extra) {
  let given = false;
  return flushSpool(paths, {
    waitMs: 6e4,
    collect: async ({ cursors }) => {
      if (given) return { events: [], cursors, verify: [] };
      given = true;
      return { ...extra, cursors };
    }
  });
}
var serialized, pieceName, PIECE_RE, stateFile, isObject, oidOrNull, isEvent, USER_KEY, safeTreePath, held, USER_SPOOL_QUIET_MS, fileSize;
var init_flush = __esm({
  "src/store/flush.ts"() {
    "use strict";
    init_pricing();
    init_redact();
    init_session();
    init_base();
    init_config2();
    init_folders();
    init_fsutil();
    init_git();
    init_layout();
    init_lock();
    init_owner();
    init_paths();
    init_spool();
    init_tree();
    init_userspool();
    init_folders();
    serialized = /* @__PURE__ */ new WeakMap();
    pieceName = (start, end) => `${String(start).padStart(12, "0")}-${String(end).padStart(12, "0")}.jsonl`;
    PIECE_RE = /^(\d{12,})-(\d{12,})\.jsonl$/;
    stateFile = (paths) => path13.join(paths.trackingDir, "cache", "state.json");
    isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
    oidOrNull = (v) => v === null || typeof v === "string" && /^[0-9a-f]{40}$/.test(v);
    isEvent = (e) => Boolean(e) && typeof e.id === "string" && typeof e.session === "string" && typeof e.type === "string";
    USER_KEY = "~user/";
    safeTreePath = (p) => p.split("/").every((part) => part !== "" && !/^\.+$/.test(part) && !/^\.git$/i.test(part) && !/[\0\\]/.test(part));
    held = false;
    USER_SPOOL_QUIET_MS = 2e3;
    fileSize = (file) => {
      try {
        return fs13.statSync(file).size;
      } catch {
        return -1;
      }
    };
  }
});

// src/store/reader.ts
var NoBranchError, TrackingBranch;
var init_reader = __esm({
  "src/store/reader.ts"() {
    "use strict";
    init_pricing();
    init_session();
    init_config2();
    init_flush();
    init_git();
    init_layout();
    init_paths();
    init_tree();
    NoBranchError = class extends Error {
      constructor() {
        super(
          "nothing recorded yet: this clone has no 'agent-tracking' branch (run `agent-track init` to record, or `agent-track pull` to read the team's)"
        );
      }
    };
    TrackingBranch = class _TrackingBranch {
      constructor(tip, tree, paths, prices, config) {
        this.tip = tip;
        this.tree = tree;
        this.paths = paths;
        this.prices = prices;
        this.config = config;
      }
      tip;
      tree;
      paths;
      prices;
      config;
      list = null;
      static async open(paths) {
        const tip = readRef(paths.commonDir, TRACKING_REF);
        if (!tip) throw new NoBranchError();
        const store = new ObjectStore(paths.commonDir);
        const state = readState(paths);
        const tree = state?.tip === tip && state.tipTree ? state.tipTree : (await store.readCommit(tip)).tree;
        const config = await loadConfig(paths);
        return new _TrackingBranch(
          tip,
          new TreeEditor(store, tree, state?.tip === tip ? state.trees : {}),
          paths,
          withOverrides(config.pricing),
          config
        );
      }
      /**
       * Every session on the branch, oldest first, its figures derived at this branch's prices. A summary
       * an earlier release wrote is folded again from its events (migrated on read; the branch is not
       * rewritten: the next flush of the session, or `agent-track migrate`, writes it anew).
       */
      async sessions() {
        if (this.list) return this.list;
        const raw = await this.rawSessions();
        const out2 = [];
        for (const s2 of raw) {
          const current = isCurrentSummary(s2) ? s2 : foldSummary(
            { ...emptySummary(s2.session, s2.phase, s2.dir), author: s2.author ?? null },
            await this.events(s2)
          );
          out2.push(withFigures(current, this.prices));
        }
        this.list = out2;
        return out2;
      }
      /** The summaries as stored (session.json), without migration. */
      async rawSessions() {
        const state = readState(this.paths);
        let list;
        if (state?.tip === this.tip) list = Object.values(state.index);
        else {
          list = [];
          for (const phase2 of await this.tree.list("phases") ?? []) {
            if (phase2.type !== "tree") continue;
            for (const s2 of await this.tree.list(`phases/${phase2.path}/sessions`) ?? []) {
              const text2 = await this.tree.readFile(`phases/${phase2.path}/sessions/${s2.path}/session.json`);
              if (!text2) continue;
              try {
                list.push(JSON.parse(text2));
              } catch {
              }
            }
          }
        }
        return list.sort((a, b) => (a.started ?? "").localeCompare(b.started ?? ""));
      }
      /** Finds a session by its id or a unique prefix of it. */
      async findSession(idOrPrefix) {
        const all = await this.sessions();
        const exact2 = all.find((s2) => s2.session === idOrPrefix);
        if (exact2) return exact2;
        const matches2 = all.filter((s2) => s2.session.startsWith(idOrPrefix));
        if (matches2.length === 1) return matches2[0];
        if (matches2.length === 0)
          throw new Error(
            `no session '${idOrPrefix}' on the agent-tracking branch (see \`agent-track sessions\`)`
          );
        throw new Error(`'${idOrPrefix}' matches ${matches2.length} sessions; give more of the id`);
      }
      /** A session's events in the order they were recorded. */
      async events(summary) {
        const out2 = [];
        for (const seg of await this.segments(summary))
          out2.push(...await this.segmentEvents(summary, seg.name));
        return out2;
      }
      /**
       * A session's event segments in order, with their blob ids: segments are immutable, so a reader
       * that keeps something per segment (the search index, the attribution index) reads only the
       * segments it has not seen. `name` and `path` are the same: the segment's file name.
       */
      async segments(summary) {
        return (await this.tree.list(`${summary.dir}/events`) ?? []).filter((e) => SEGMENT_RE.test(e.path)).map((e) => ({ ...e, name: e.path })).sort((a, b) => a.name.localeCompare(b.name));
      }
      /** The events of one segment of a session. */
      async segmentEvents(summary, name) {
        const text2 = await this.tree.readFile(`${summary.dir}/events/${name}`) ?? "";
        const out2 = [];
        for (const line of text2.split("\n")) if (line) out2.push(JSON.parse(line));
        return out2;
      }
      readFile(file) {
        return this.tree.readFile(file);
      }
      /** The entries of a folder of the branch (null: no such folder). */
      listDir(dir) {
        return this.tree.list(dir);
      }
    };
  }
});

// src/capture/diff.ts
import { createHash as createHash7 } from "node:crypto";
function gitBlobId(content) {
  const body = Buffer.from(content, "utf8");
  return createHash7("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}
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
  const out2 = [];
  let pos = 0;
  for (const h of hunks) {
    const start = Math.max(0, h.oldStart - 1);
    if (start < pos || start > src.length) return null;
    while (pos < start) out2.push(src[pos++]);
    for (const line of h.lines) {
      const tag = line[0];
      const text2 = line.slice(1);
      if (tag === " " || tag === "-") {
        if (src[pos] !== text2) return null;
        pos++;
        if (tag === " ") out2.push(text2);
      } else if (tag === "+") out2.push(text2);
    }
  }
  while (pos < src.length) out2.push(src[pos++]);
  return out2.join("\n") + (out2.length && endsWithNewline ? "\n" : "");
}
var splitLines;
var init_diff = __esm({
  "src/capture/diff.ts"() {
    "use strict";
    splitLines = (text2) => {
      if (text2 === "") return [];
      const lines = text2.split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      return lines;
    };
  }
});

// src/capture/redact.ts
var init_redact2 = __esm({
  "src/capture/redact.ts"() {
    "use strict";
    init_redact();
  }
});

// src/capture/events.ts
import { createHash as createHash8 } from "node:crypto";
function capValue(value, max) {
  if (value === void 0 || value === null) return value;
  const json = typeof value === "string" ? value : JSON.stringify(value);
  if (json === void 0 || Buffer.byteLength(json) <= max) return value;
  return {
    truncated: true,
    bytes: Buffer.byteLength(json),
    sha256: createHash8("sha256").update(json).digest("hex"),
    head: json.slice(0, Math.min(2048, max))
  };
}
function relPath(file, workTree) {
  if (workTree && file.startsWith(`${workTree}/`)) return file.slice(workTree.length + 1);
  return file;
}
function relativeInput(input, workTree) {
  if (!workTree || !input || typeof input !== "object" || Array.isArray(input)) return input;
  let copy = null;
  for (const k of PATH_KEYS) {
    const v = input[k];
    if (typeof v !== "string") continue;
    const rel2 = relPath(v, workTree);
    if (rel2 !== v) {
      copy ??= { ...input };
      copy[k] = rel2;
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
      const out2 = [call];
      if (FILE_TOOLS.has(tool)) {
        const fc = fileChange(p, ctx, () => base("file_change"));
        if (fc) out2.push(fc);
      }
      return out2;
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
var AGENT_TOOLS, FILE_TOOLS, str, PATH_KEYS, FILE_TEXT_KEYS, filePathOf, toolInput;
var init_events2 = __esm({
  "src/capture/events.ts"() {
    "use strict";
    init_canonical();
    init_diff();
    init_redact2();
    AGENT_TOOLS = /* @__PURE__ */ new Set(["Agent", "Task"]);
    FILE_TOOLS = /* @__PURE__ */ new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);
    str = (v) => typeof v === "string" ? v : void 0;
    PATH_KEYS = ["file_path", "filePath", "notebook_path"];
    FILE_TEXT_KEYS = ["content", "old_string", "new_string", "originalFile", "oldString", "newString"];
    filePathOf = (p) => str(p.tool_input?.file_path) ?? str(p.tool_input?.notebook_path) ?? str(p.tool_response?.filePath);
    toolInput = (p, ctx) => fileAware(p.tool_input, filePathOf(p), ctx);
  }
});

// src/capture/codex.ts
function rolloutThreadId(file) {
  const m = /rollout-.*?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(file);
  return m ? m[1].toLowerCase() : null;
}
function codexTokens(u) {
  const total = num(u.input_tokens);
  const cached = Math.min(total, num(u.cached_input_tokens));
  const written = Math.min(total - cached, num(u.cache_write_input_tokens));
  return {
    input: total - cached - written,
    output: num(u.output_tokens),
    cacheRead: cached,
    cacheWrite: written,
    cacheWrite5m: written,
    cacheWrite1h: 0,
    reasoning: num(u.reasoning_output_tokens)
  };
}
function exitCodeOf(output) {
  const m = /(?:Process exited with code|Exit code:)\s*(-?\d+)/.exec(output);
  if (m) return Number(m[1]);
  try {
    const j = JSON.parse(output);
    if (typeof j?.metadata?.exit_code === "number") return j.metadata.exit_code;
  } catch {
  }
  return null;
}
function parsePatch(input) {
  const out2 = [];
  let cur = null;
  const close = () => {
    if (!cur) return;
    if (cur.kind === "add") {
      cur.content = cur.lines.map((l) => l.slice(1)).join("\n") + (cur.lines.length ? "\n" : "");
      cur.hunks = cur.lines.length ? `@@ -0,0 +1,${cur.lines.length} @@
${cur.lines.join("\n")}
` : "";
    } else if (cur.kind === "update") cur.hunks = cur.lines.length ? `${cur.lines.join("\n")}
` : "";
    const { lines: _l, ...f } = cur;
    out2.push(f);
    cur = null;
  };
  for (const line of input.split("\n")) {
    const m = /^\*\*\* (Add|Update|Delete) File: (.+)$/.exec(line);
    if (m) {
      close();
      const kind = m[1] === "Add" ? "add" : m[1] === "Update" ? "update" : "delete";
      cur = { path: m[2].trim(), kind, hunks: "", content: null, lines: [] };
      continue;
    }
    if (!cur) continue;
    if (line.startsWith("*** End Patch")) {
      close();
      continue;
    }
    const move = /^\*\*\* Move to: (.+)$/.exec(line);
    if (move) cur.movePath = move[1].trim();
    else if (cur.kind === "add" && line.startsWith("+")) cur.lines.push(line);
    else if (cur.kind === "update" && /^(@@|[-+ ])/.test(line)) cur.lines.push(line);
  }
  close();
  return out2;
}
function changesOf(changes) {
  if (!changes || typeof changes !== "object") return [];
  const out2 = [];
  for (const [p, c] of Object.entries(changes)) {
    const kind = c?.type === "add" || c?.add ? "add" : c?.type === "delete" || c?.delete ? "delete" : c?.type === "update" || c?.update ? "update" : null;
    if (!kind) continue;
    const body = c.add ?? c.update ?? c.delete ?? c;
    const content = str2(body?.content);
    let hunks = str2(body?.unified_diff) ?? "";
    if (kind === "add" && content !== null) {
      const lines = content.split("\n");
      if (lines[lines.length - 1] === "") lines.pop();
      hunks = lines.length ? `@@ -0,0 +1,${lines.length} @@
${lines.map((l) => `+${l}`).join("\n")}
` : "";
    }
    out2.push({ path: p, kind, hunks, content, movePath: str2(body?.move_path) });
  }
  return out2;
}
function codexEvents(records, opts) {
  const meta = records.find((r2) => r2?.type === "session_meta")?.payload;
  const session = str2(meta?.id) ?? str2(meta?.session_id);
  if (!session) return { session: null, events: [] };
  const source = opts.source ?? "import";
  const cap = (v) => capValue(v, opts.cap);
  const cwd = str2(meta.cwd);
  const events = [];
  const base = (type, id, ts) => ({
    id,
    ts,
    session,
    agent: "main",
    agentType: "main",
    type,
    source,
    agentTool: CODEX
  });
  let model = null;
  const firstModel = str2(records.find((r2) => r2?.type === "turn_context")?.payload?.model);
  const startTs = str2(meta.timestamp) ?? str2(records[0]?.timestamp) ?? (/* @__PURE__ */ new Date(0)).toISOString();
  events.push({
    ...base("session_start", derivedId("session_start", session, "main:start"), startTs),
    cwd,
    branch: str2(meta.git?.branch),
    head: str2(meta.git?.commit_hash),
    model: firstModel,
    version: str2(meta.cli_version),
    originator: str2(meta.originator)
  });
  const calls = /* @__PURE__ */ new Map();
  const order = [];
  const prompts = /* @__PURE__ */ new Set();
  let lastTotal = null;
  let usageRecords = false;
  let turn = 0;
  let pendingDecision = null;
  for (const rec of records) {
    const ts = str2(rec?.timestamp);
    const p = rec?.payload;
    if (!ts || !p || typeof p !== "object") continue;
    if (rec.type === "turn_context") {
      model = str2(p.model) ?? model;
      turn++;
      continue;
    }
    if (rec.type === "token_usage_record" && p.usage) {
      usageRecords = true;
      const key = str2(p.response_id) ?? `${str2(p.turn_id)}:${ts}`;
      events.push({
        ...base("usage", usageId(session, key), ts),
        model: model ?? "unknown",
        messageId: str2(p.response_id),
        requestId: null,
        tokens: codexTokens(p.usage)
      });
      continue;
    }
    if (rec.type === "response_item") {
      if (p.type === "message" && p.role === "assistant") pendingDecision = null;
      if (p.type === "reasoning") {
        const text2 = Array.isArray(p.summary) ? p.summary.map((s2) => typeof s2?.text === "string" ? s2.text : "").filter(Boolean).join("\n") : "";
        if (text2.trim()) {
          const d = {
            ...base("decision", derivedId("d", session, str2(p.id) ?? `${ts}:${text2}`), ts),
            rationale: text2
          };
          events.push(d);
          pendingDecision = d;
        }
      } else if ((p.type === "function_call" || p.type === "custom_tool_call") && str2(p.call_id)) {
        let input = p.type === "custom_tool_call" ? p.input ?? null : p.arguments ?? null;
        if (typeof input === "string" && p.type === "function_call") {
          try {
            input = JSON.parse(input);
          } catch {
          }
        }
        const tool = str2(p.namespace) ? `${p.namespace}__${p.name}` : str2(p.name) ?? "unknown";
        calls.set(p.call_id, {
          ts,
          tool,
          input,
          output: null,
          outTs: null,
          exitCode: null,
          status: null,
          durationMs: null,
          changes: null,
          cwd
        });
        order.push(p.call_id);
        if (pendingDecision) {
          pendingDecision.toolUseId = p.call_id;
          pendingDecision.tool = tool;
          pendingDecision = null;
        }
      } else if ((p.type === "function_call_output" || p.type === "custom_tool_call_output") && str2(p.call_id)) {
        const c = calls.get(p.call_id);
        if (c) {
          c.output = typeof p.output === "string" ? p.output : JSON.stringify(p.output?.content ?? p.output ?? "");
          c.outTs = ts;
        }
      }
      continue;
    }
    if (rec.type !== "event_msg") continue;
    if (p.type === "item_completed" && p.item) {
      const it = p.item;
      if (it.type === "UserMessage") {
        const text2 = contentText(it.content);
        const key = str2(it.id) ?? `${str2(p.turn_id)}:${text2}`;
        if (text2 && !prompts.has(key)) {
          prompts.add(key);
          prompts.add(`turn:${str2(p.turn_id)}`);
          events.push({
            ...base("prompt", derivedId("prompt", session, `main:prompt:${key}`), ts),
            text: cap(text2)
          });
        }
      }
      const c = str2(it.id) ? calls.get(it.id) : void 0;
      if (c) {
        if (typeof it.exit_code === "number") c.exitCode = it.exit_code;
        c.status = str2(it.status);
        if (typeof it.started_at_ms === "number" || typeof p.started_at_ms === "number") {
          const d = num(p.completed_at_ms) - num(p.started_at_ms);
          if (d >= 0) c.durationMs = d;
        }
        if (it.duration && typeof it.duration.secs === "number")
          c.durationMs = Math.round(it.duration.secs * 1e3 + num(it.duration.nanos) / 1e6);
        if (it.type === "FileChange") c.changes = changesOf(it.changes);
        const itCwd = str2(it.cwd);
        if (itCwd) c.cwd = itCwd.replace(/^file:\/\//, "");
      }
    } else if (p.type === "task_complete") {
      events.push({ ...base("stop", derivedId("stop", session, `main:${str2(p.turn_id) ?? ts}`), ts) });
    } else if (p.type === "user_message" && typeof p.message === "string") {
      const key = `legacy:${turn}:${p.message}`;
      if (!prompts.has(key) && p.message.trim()) {
        prompts.add(key);
        events.push({
          ...base("prompt", derivedId("prompt", session, `main:prompt:${key}`), ts),
          text: cap(p.message)
        });
      }
    } else if (p.type === "exec_command_end" && str2(p.call_id)) {
      const c = calls.get(p.call_id);
      if (c) {
        if (typeof p.exit_code === "number") c.exitCode = p.exit_code;
        if (p.duration && typeof p.duration.secs === "number")
          c.durationMs = Math.round(p.duration.secs * 1e3 + num(p.duration.nanos) / 1e6);
      }
    } else if (p.type === "patch_apply_end" && str2(p.call_id)) {
      const c = calls.get(p.call_id);
      if (c) {
        c.status = p.success === false ? "failed" : "completed";
        if (p.changes) c.changes = changesOf(p.changes);
      }
    } else if (p.type === "token_count" && !usageRecords) {
      const info = p.info;
      const last = info?.last_token_usage;
      const total = num(info?.total_token_usage?.total_tokens);
      if (!last || lastTotal !== null && total === lastTotal) continue;
      lastTotal = total;
      events.push({
        ...base("usage", usageId(session, `token_count:${ts}:${total}`), ts),
        model: model ?? "unknown",
        messageId: null,
        requestId: null,
        tokens: codexTokens(last)
      });
    } else if (p.type === "error" || p.type === "stream_error") {
      const message = str2(p.message) ?? "error";
      events.push({
        ...base("error", derivedId("e", session, `codex:${ts}:${message}`), ts),
        message: message.slice(0, opts.cap),
        context: p.type
      });
    }
  }
  const out2 = usageRecords ? events.filter((e) => !(e.type === "usage" && e.messageId === null)) : events;
  for (const id of order) {
    const c = calls.get(id);
    if (c.output === null && c.status === null && c.exitCode === null) continue;
    const endTs = c.outTs ?? c.ts;
    const exit = c.exitCode ?? (c.output !== null ? exitCodeOf(c.output) : null);
    const isPatch = c.tool === "apply_patch";
    const failed = c.status === "failed" || c.status === "declined" || exit !== null && exit !== 0 || isPatch && c.output !== null && /^(?:Exit code: [1-9]|apply_patch verification failed|error)/i.test(c.output);
    const outcome = c.status === "declined" ? "rejected" : failed ? "failed" : "success";
    const durationMs = c.durationMs ?? Math.max(0, Date.parse(endTs) - Date.parse(c.ts));
    const input = cap(c.input);
    out2.push({
      ...base("tool_call", toolCallId(session, "main", id), endTs),
      toolUseId: id,
      tool: c.tool,
      input,
      output: cap(c.output),
      success: outcome === "success",
      outcome,
      ...exit !== null ? { exitCode: exit } : {},
      ...outcome === "failed" ? { error: cap(c.output ?? c.status) } : {},
      durationMs
    });
    if (outcome === "failed")
      out2.push({
        ...base("error", toolErrorId(session, id), endTs),
        toolUseId: id,
        tool: c.tool,
        input,
        message: String(c.output ?? c.status ?? "failed").slice(0, opts.cap)
      });
    if (isPatch && outcome === "success") {
      const files = c.changes ?? (typeof c.input === "string" ? parsePatch(c.input) : []);
      for (const f of files) {
        const abs = f.path.startsWith("/") ? f.path : c.cwd ? `${c.cwd}/${f.path}` : f.path;
        const file = relPath(abs, cwd ?? void 0);
        const header = `--- ${f.kind === "add" ? "/dev/null" : `a/${file}`}
+++ ${f.kind === "delete" ? "/dev/null" : `b/${file}`}
`;
        out2.push({
          ...base(
            "file_change",
            files.length === 1 ? fileChangeId(session, "main", id) : derivedId("file_change", session, `main:${id}:${file}`),
            endTs
          ),
          toolUseId: id,
          tool: c.tool,
          path: file,
          operation: f.kind === "add" ? "create" : f.kind === "delete" ? "delete" : "edit",
          // .env-style files: every value in the diff is replaced whole (as for Claude Code's edits)
          diff: cap(
            (header + f.hunks).split("\n").map(
              (l) => /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l) ? l[0] + redactFileContent(abs, l.slice(1)) : l
            ).join("\n")
          ),
          blobBefore: null,
          blobAfter: f.kind === "add" && f.content !== null ? gitBlobId(f.content) : null
        });
      }
    }
  }
  return { session, events: out2.sort((a, b) => a.ts.localeCompare(b.ts)) };
}
var CODEX, str2, num, contentText;
var init_codex = __esm({
  "src/capture/codex.ts"() {
    "use strict";
    init_canonical();
    init_diff();
    init_events2();
    init_redact2();
    CODEX = "codex";
    str2 = (v) => typeof v === "string" ? v : null;
    num = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
    contentText = (content) => Array.isArray(content) ? content.map((c) => typeof c?.text === "string" ? c.text : "").filter(Boolean).join("\n") : typeof content === "string" ? content : "";
  }
});

// src/capture/gemini.ts
import { createHash as createHash9 } from "node:crypto";
import * as fs14 from "node:fs";
import * as path14 from "node:path";
function geminiTokens(t) {
  const prompt = num2(t.input);
  const cached = Math.min(prompt, num2(t.cached));
  const thoughts = num2(t.thoughts);
  return {
    input: prompt - cached,
    output: num2(t.output) + thoughts,
    cacheRead: cached,
    cacheWrite: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    reasoning: thoughts
  };
}
function messagesOf(records) {
  const byId = /* @__PURE__ */ new Map();
  const add = (m) => {
    if (!m || typeof m !== "object" || typeof m.id !== "string" || typeof m.type !== "string") return;
    byId.set(m.id, { ...byId.get(m.id) ?? {}, ...m });
  };
  for (const r2 of records) {
    if (Array.isArray(r2?.messages))
      r2.messages.forEach(add);
    else if (r2?.$set) {
      if (Array.isArray(r2.$set.messages)) r2.$set.messages.forEach(add);
    } else add(r2);
  }
  return [...byId.values()];
}
function diffOf(fileDiff, file, created) {
  const body = fileDiff.split("\n").filter((l) => !/^(Index: |={10,}|--- |\+\+\+ )/.test(l)).join("\n");
  return `--- ${created ? "/dev/null" : `a/${file}`}
+++ b/${file}
${body}`;
}
function geminiEvents(records, opts) {
  const header = records.find((r2) => typeof r2?.sessionId === "string");
  const session = str3(header?.sessionId);
  if (!session) return { session: null, events: [] };
  const source = opts.source ?? "import";
  const cwd = opts.cwd ?? null;
  const cap = (v) => capValue(v, opts.cap);
  const base = (type, id, ts) => ({
    id,
    ts,
    session,
    agent: "main",
    agentType: "main",
    type,
    source,
    agentTool: GEMINI
  });
  const messages = messagesOf(records);
  const firstModel = str3(messages.find((m) => m.type === "gemini" && m.model)?.model);
  const out2 = [
    {
      ...base(
        "session_start",
        derivedId("session_start", session, "main:start"),
        str3(header.startTime) ?? ""
      ),
      cwd,
      branch: null,
      head: null,
      model: firstModel
    }
  ];
  for (const m of messages) {
    const ts = str3(m.timestamp);
    if (!ts) continue;
    if (m.type === "user") {
      const text2 = partsText(m.content);
      if (text2.trim() && !text2.startsWith("<session_context>"))
        out2.push({
          ...base("prompt", derivedId("prompt", session, `main:prompt:${m.id}`), ts),
          text: cap(text2)
        });
      continue;
    }
    if (m.type === "error") {
      const text2 = partsText(m.content) || "error";
      out2.push({
        ...base("error", derivedId("e", session, `gemini:${m.id}`), ts),
        message: text2.slice(0, opts.cap)
      });
      continue;
    }
    if (m.type !== "gemini") continue;
    if (m.tokens)
      out2.push({
        ...base("usage", usageId(session, m.id), ts),
        model: str3(m.model) ?? "unknown",
        messageId: m.id,
        requestId: null,
        tokens: geminiTokens(m.tokens)
      });
    const calls = Array.isArray(m.toolCalls) ? m.toolCalls : [];
    for (const [i, t] of (Array.isArray(m.thoughts) ? m.thoughts : []).entries()) {
      const text2 = [str3(t?.subject), str3(t?.description)].filter(Boolean).join(": ");
      if (text2)
        out2.push({
          ...base("decision", derivedId("d", session, `${m.id}:${i}`), str3(t.timestamp) ?? ts),
          rationale: text2,
          ...calls[0] && str3(calls[0].id) ? { toolUseId: calls[0].id, tool: str3(calls[0].name) } : {}
        });
    }
    for (const c of calls) {
      const id = str3(c.id);
      if (!id) continue;
      const endTs = str3(c.timestamp) ?? ts;
      const resp = Array.isArray(c.result) ? c.result.map((r2) => r2?.functionResponse?.response) : [];
      const output = resp.map(
        (r2) => typeof r2?.output === "string" ? r2.output : typeof r2?.error === "string" ? r2.error : ""
      ).join("\n");
      const exit = exitCodeOf2(output);
      const status = str3(c.status);
      const outcome = status === "cancelled" ? "rejected" : status === "error" || exit !== null && exit !== 0 ? "failed" : "success";
      const tool = str3(c.name) ?? "unknown";
      const input = cap(c.args ?? null);
      out2.push({
        ...base("tool_call", toolCallId(session, "main", id), endTs),
        toolUseId: id,
        tool,
        input,
        output: cap(output),
        success: outcome === "success",
        outcome,
        ...exit !== null ? { exitCode: exit } : {},
        ...outcome === "failed" ? { error: cap(output || status) } : {},
        durationMs: Math.max(0, Date.parse(endTs) - Date.parse(ts))
      });
      if (outcome === "failed")
        out2.push({
          ...base("error", toolErrorId(session, id), endTs),
          toolUseId: id,
          tool,
          input,
          message: (output || String(status)).slice(0, opts.cap)
        });
      const d = c.resultDisplay;
      if (outcome === "success" && d && typeof d === "object" && typeof d.fileDiff === "string") {
        const abs = str3(d.filePath) ?? str3(c.args?.file_path) ?? str3(d.fileName) ?? "unknown";
        const file = relPath(abs, cwd ?? void 0);
        const before = str3(d.originalContent);
        const after = str3(d.newContent);
        const created = tool === "write_file" && !before;
        const diff = diffOf(d.fileDiff, file, created).split("\n").map(
          (l) => /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l) ? l[0] + redactFileContent(abs, l.slice(1)) : l
        ).join("\n");
        out2.push({
          ...base("file_change", derivedId("file_change", session, `main:${id}`), endTs),
          toolUseId: id,
          tool,
          path: file,
          operation: created ? "create" : tool === "write_file" ? "update" : "edit",
          diff: cap(diff),
          blobBefore: before ? gitBlobId(before) : null,
          blobAfter: after !== null ? gitBlobId(after) : null
        });
      }
    }
  }
  return { session, events: out2.sort((a, b) => a.ts.localeCompare(b.ts)) };
}
function geminiRecords(text2) {
  try {
    const whole = JSON.parse(text2);
    if (whole && typeof whole === "object" && Array.isArray(whole.messages)) return [whole];
  } catch {
  }
  const out2 = [];
  for (const line of text2.split("\n")) {
    if (!line.trim()) continue;
    try {
      out2.push(JSON.parse(line));
    } catch {
    }
  }
  return out2;
}
function chatProjectRoot(chatFile) {
  try {
    return fs14.readFileSync(path14.join(path14.dirname(path14.dirname(chatFile)), ".project_root"), "utf8").trim() || null;
  } catch {
    return null;
  }
}
function geminiChats(workTree, home) {
  const root = path14.join(home, ".gemini", "tmp");
  const hash2 = createHash9("sha256").update(workTree).digest("hex");
  let dirs;
  try {
    dirs = fs14.readdirSync(root).sort();
  } catch {
    return [];
  }
  const out2 = [];
  for (const d of dirs) {
    const chats = path14.join(root, d, "chats");
    let mine = d === hash2;
    try {
      mine ||= fs14.readFileSync(path14.join(root, d, ".project_root"), "utf8").trim() === workTree;
    } catch {
    }
    if (!mine) continue;
    try {
      for (const f of fs14.readdirSync(chats).sort())
        if (/^session-.*\.jsonl?$/.test(f)) out2.push(path14.join(chats, f));
    } catch {
    }
  }
  return out2;
}
var GEMINI, str3, num2, partsText, exitCodeOf2;
var init_gemini = __esm({
  "src/capture/gemini.ts"() {
    "use strict";
    init_canonical();
    init_diff();
    init_events2();
    init_redact2();
    GEMINI = "gemini";
    str3 = (v) => typeof v === "string" ? v : null;
    num2 = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
    partsText = (content) => typeof content === "string" ? content : Array.isArray(content) ? content.map((p) => typeof p?.text === "string" ? p.text : "").filter(Boolean).join("\n") : "";
    exitCodeOf2 = (text2) => {
      const m = /Exit Code:\s*(-?\d+)/.exec(text2);
      return m ? Number(m[1]) : null;
    };
  }
});

// src/capture/raw.ts
import { createHash as createHash10 } from "node:crypto";
import * as fs15 from "node:fs";
import * as path15 from "node:path";
function ensureRawDir(paths) {
  const dir = rawDir(paths);
  try {
    fs15.mkdirSync(dir, { mode: 448 });
  } catch (e) {
    if (e.code !== "EEXIST") {
      mkdirOwned(dir);
    }
  }
  own(dir);
  try {
    if ((fs15.statSync(dir).mode & 63) !== 0) fs15.chmodSync(dir, 448);
  } catch {
  }
}
function parseRaw(text2) {
  const nl = text2.indexOf("\n");
  const head = nl < 0 ? "" : text2.slice(0, nl);
  const [workTree, body] = head.startsWith("/") ? [path15.resolve(head), text2.slice(nl + 1)] : [null, text2];
  try {
    return { workTree, payload: JSON.parse(body) };
  } catch {
    return null;
  }
}
function eventsOf(raw, config, paths) {
  const seed = createHash10("sha256").update(raw.name).update(String(raw.ns)).update(raw.bytes).digest("hex");
  let n2 = 0;
  const newId = () => {
    const h = createHash10("sha256").update(`${seed}:${n2++}`).digest("hex");
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
function setAside(paths, name, text2, why) {
  try {
    mkdirOwned(paths.errorsDir);
    const file = path15.join(paths.errorsDir, `raw-${name}`);
    fs15.writeFileSync(file, JSON.stringify({ error: why, payload: redactText(text2, { pass: "full" }) }), {
      mode: 384
    });
    own(file);
  } catch {
  }
}
function spoolIds(file) {
  const ids = /* @__PURE__ */ new Set();
  let text2 = "";
  try {
    text2 = fs15.readFileSync(file, "utf8");
  } catch {
    return ids;
  }
  for (const m of text2.matchAll(/^\{"id":"([^"]+)"/gm)) ids.add(m[1]);
  return ids;
}
async function convertRaw(paths, opts = {}) {
  const result = { payloads: 0, events: 0, bad: 0, left: 0 };
  const dir = rawDir(paths);
  try {
    fs15.rmSync(path15.join(paths.trackingDir, "flush.want"), { force: true });
  } catch {
  }
  if (!rawPending(paths)) return result;
  const release = await acquireMutex(rawLockFile(paths), opts.waitMs ?? 0);
  if (!release) return null;
  try {
    const config = opts.config ?? await loadConfig(paths);
    let suspect = /* @__PURE__ */ new Set();
    try {
      suspect = new Set(fs15.readFileSync(path15.join(dir, NOTE), "utf8").split("\n").filter(Boolean));
    } catch {
    }
    const files = [];
    for (const name of fs15.readdirSync(dir)) {
      const m = RAW_NAME.exec(name);
      if (!m) continue;
      const file = path15.join(dir, name);
      let bytes;
      let st;
      try {
        bytes = fs15.readFileSync(file);
        st = fs15.statSync(file, { bigint: true });
      } catch {
        continue;
      }
      const text2 = bytes.toString("utf8");
      const parsed = parseRaw(text2);
      const payload = parsed?.payload;
      if (!parsed || !payload || typeof payload !== "object" || Array.isArray(payload)) {
        const gone = !pidAlive(Number(m[1])) || Date.now() - Number(st.mtimeMs) > STALE_MS;
        if (!parsed ? gone : true) {
          setAside(paths, name, text2, parsed ? "payload is not an object" : "not a whole JSON payload");
          fs15.rmSync(file, { force: true });
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
    const done2 = [];
    const seen = /* @__PURE__ */ new Map();
    const copies = [];
    for (const raw of files) {
      const body = createHash10("sha256").update(raw.bytes.subarray(raw.workTree === null ? 0 : raw.bytes.indexOf(10) + 1)).digest("hex");
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
        fs15.rmSync(raw.file, { force: true });
        result.bad++;
        continue;
      }
      done2.push(raw);
      for (const e of events) {
        const list = bySession.get(e.session);
        if (list) list.push(e);
        else bySession.set(e.session, [e]);
      }
    }
    if (done2.length) {
      const note = [.../* @__PURE__ */ new Set([...suspect, ...done2.map((r2) => r2.name)])].join("\n");
      fs15.writeFileSync(path15.join(dir, NOTE), `${note}
`, { mode: 384 });
      own(path15.join(dir, NOTE));
      const suspectSessions = new Set(
        done2.filter((r2) => suspect.has(r2.name)).map((r2) => String(r2.payload.session_id))
      );
      for (const [session, list] of bySession) {
        let events = list;
        if (suspectSessions.has(session)) {
          const have = spoolIds(spoolFile(paths, session));
          events = list.filter((e) => !have.has(e.id));
        }
        if (!events.length) continue;
        const { file } = appendEvents(paths, session, events);
        const fd = fs15.openSync(file, "r");
        try {
          fs15.fsyncSync(fd);
        } finally {
          fs15.closeSync(fd);
        }
        result.events += events.length;
      }
      if (process.env.AGENT_TRACK_FAULT === "after-raw-append") process.kill(process.pid, "SIGKILL");
      for (const raw of done2) fs15.rmSync(raw.file, { force: true });
      result.payloads = done2.length;
    }
    for (const raw of copies) fs15.rmSync(raw.file, { force: true });
    fs15.rmSync(path15.join(dir, NOTE), { force: true });
    return result;
  } finally {
    release();
  }
}
var rawDir, rawPending, NOTE, STALE_MS;
var init_raw = __esm({
  "src/capture/raw.ts"() {
    "use strict";
    init_config2();
    init_lock();
    init_owner();
    init_spool();
    init_events2();
    init_redact2();
    rawDir = rawSpoolDir;
    rawPending = rawWaiting;
    NOTE = RAW_NOTE;
    STALE_MS = 60 * 60 * 1e3;
  }
});

// src/capture/transcript.ts
import { createHash as createHash11 } from "node:crypto";
import * as fs16 from "node:fs";
function usageTokens(u) {
  const write2 = num3(u.cache_creation_input_tokens);
  const split = u.cache_creation && typeof u.cache_creation === "object";
  const write1h = split ? num3(u.cache_creation.ephemeral_1h_input_tokens) : 0;
  const write5m = split ? num3(u.cache_creation.ephemeral_5m_input_tokens) : write2;
  const rest = write2 - write1h - write5m;
  return {
    input: num3(u.input_tokens),
    output: num3(u.output_tokens),
    cacheRead: num3(u.cache_read_input_tokens),
    cacheWrite: write2,
    cacheWrite5m: write5m + Math.max(rest, 0),
    cacheWrite1h: write1h
  };
}
function resultText(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((b) => typeof b?.text === "string" ? b.text : "").join("\n");
  return "";
}
function parseTranscript(text2, session, agent, memory, opts = {}) {
  const { records, badLines } = parseLines(text2);
  return { ...transcriptEvents(records, session, agent, memory, opts), badLines };
}
function parseLines(text2) {
  const records = [];
  let badLines = 0;
  for (const line of text2.split("\n")) {
    if (!line.trim()) continue;
    try {
      const rec = JSON.parse(line);
      if (rec && typeof rec === "object") records.push(rec);
      else badLines++;
    } catch {
      const parts = splitConcatenated(line);
      if (parts) records.push(...parts);
      else badLines++;
    }
  }
  return { records, badLines };
}
function splitConcatenated(line) {
  const out2 = [];
  let rest = line.trim();
  while (rest) {
    let cut2 = rest.indexOf("}{");
    let parsed;
    for (; ; ) {
      if (cut2 < 0) {
        try {
          parsed = JSON.parse(rest);
        } catch {
          return null;
        }
        rest = "";
        break;
      }
      try {
        parsed = JSON.parse(rest.slice(0, cut2 + 1));
        rest = rest.slice(cut2 + 1);
        break;
      } catch {
        cut2 = rest.indexOf("}{", cut2 + 1);
      }
    }
    if (!parsed || typeof parsed !== "object") return null;
    out2.push(parsed);
  }
  return out2.length > 1 ? out2 : null;
}
function releasePending(memory, out2, keep) {
  for (const [key, e] of memory.pending) {
    if (key === keep) continue;
    memory.pending.delete(key);
    memory.seen.add(key);
    out2.push(e);
  }
}
function transcriptEvents(records, session, agent, memory, opts = {}) {
  const out2 = { events: [], unknownModels: /* @__PURE__ */ new Set() };
  const capBytes = opts.cap ?? 4096;
  const fileType = opts.agentType ?? (agent === "main" ? "main" : null);
  for (const rec of records) {
    const who2 = typeof rec.agentId === "string" && agent !== "main" ? rec.agentId : agent;
    const ts = typeof rec.timestamp === "string" ? rec.timestamp : (/* @__PURE__ */ new Date(0)).toISOString();
    const base = (type, id) => {
      const e = { id, ts, session, agent: who2, type, source: "transcript" };
      if (fileType) e.agentType = fileType;
      return e;
    };
    const msg = rec.message;
    if (rec.type === "assistant" && msg && typeof msg === "object") {
      const key = usageKey(msg.id ?? rec.uuid, rec.requestId);
      releasePending(memory, out2.events, key);
      const model = typeof msg.model === "string" ? msg.model : "unknown";
      if (msg.usage && model !== "<synthetic>" && !memory.seen.has(key)) {
        const tokens = usageTokens(msg.usage);
        const fast = msg.usage.speed === "fast";
        const cost = costUnits(model, tokens, void 0, ts.slice(0, 10), fast);
        if (cost === null) out2.unknownModels.add(model);
        const first = memory.pending.get(key);
        memory.pending.set(key, {
          ...base("usage", usageId(session, key)),
          ...first ? { ts: first.ts } : {},
          model,
          messageId: msg.id ?? null,
          requestId: rec.requestId ?? null,
          tokens,
          ...fast ? { speed: "fast" } : {},
          // at the built-in prices, for a reader of the raw event; every figure is derived from tokens
          costUsd: cost === null ? null : unitsToUsd(cost)
        });
      }
      for (const block of Array.isArray(msg.content) ? msg.content : []) {
        if (block?.type === "text" && typeof block.text === "string" && block.text.trim()) {
          const prev = memory.pendingText.get(key);
          memory.pendingText.set(key, prev ? `${prev}
${block.text}` : block.text);
        } else if (block?.type === "tool_use" && typeof block.id === "string") {
          memory.tools.set(block.id, {
            name: typeof block.name === "string" ? block.name : null,
            // paths relative to the session's directory, as the hook records them
            input: relativeInput(block.input ?? null, typeof rec.cwd === "string" ? rec.cwd : void 0),
            ts
          });
          const rationale = memory.pendingText.get(key);
          if (rationale) {
            out2.events.push({
              ...base("decision", derivedId("d", session, block.id)),
              rationale,
              toolUseId: block.id,
              tool: typeof block.name === "string" ? block.name : null
            });
          }
        }
      }
    } else if (rec.type === "user" && msg) {
      if (!Array.isArray(msg.content)) continue;
      for (const block of msg.content) {
        if (block?.type !== "tool_result" || block.is_error !== true || typeof block.tool_use_id !== "string")
          continue;
        const call = memory.tools.get(block.tool_use_id);
        const text2 = resultText(block.content);
        const outcome = errorOutcome(text2);
        const started = call ? Date.parse(call.ts) : Number.NaN;
        const input = capValue(call?.input ?? null, capBytes);
        out2.events.push({
          ...base("tool_call", toolCallId(session, who2, block.tool_use_id)),
          toolUseId: block.tool_use_id,
          tool: call?.name ?? "unknown",
          input,
          success: false,
          outcome,
          error: capValue(text2, capBytes),
          durationMs: Number.isFinite(started) ? Math.max(0, Date.parse(ts) - started) : null
        });
        if (outcome === "failed")
          out2.events.push({
            ...base("error", toolErrorId(session, block.tool_use_id)),
            toolUseId: block.tool_use_id,
            tool: call?.name ?? null,
            input,
            message: text2.slice(0, capBytes)
          });
      }
    }
  }
  if (opts.final) releasePending(memory, out2.events, null);
  return out2;
}
function headOf(fd, upTo) {
  const buf = Buffer.alloc(Math.min(upTo, HEAD_BYTES));
  const n2 = fs16.readSync(fd, buf, 0, buf.length, 0);
  return createHash11("sha1").update(buf.subarray(0, n2)).digest("hex").slice(0, 16);
}
function readTranscriptFile(file, cursor, session, memory, opts = {}) {
  let fd;
  try {
    fd = fs16.openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const st = fs16.fstatSync(fd);
    const sameFile = st.ino === cursor.ino && st.size >= cursor.offset && (cursor.head === void 0 || cursor.head === headOf(fd, cursor.offset));
    const start = sameFile ? cursor.offset : 0;
    const result = { events: [], badLines: 0, unknownModels: /* @__PURE__ */ new Set() };
    memory.pending = new Map(sameFile ? (cursor.pending ?? []).map((p) => [p.key, p.event]) : []);
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(st.size - start, 1)));
    let pos = start;
    let carry = Buffer.alloc(0);
    for (; ; ) {
      const n2 = fs16.readSync(fd, chunk, 0, chunk.length, pos);
      if (n2 <= 0) break;
      pos += n2;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n2)]) : chunk.subarray(0, n2);
      const end = data.lastIndexOf(10) + 1;
      if (end > 0) {
        opts.onLines?.(pos - data.length, data.subarray(0, end));
        const part = parseTranscript(data.subarray(0, end).toString("utf8"), session, cursor.agent, memory, {
          ...opts,
          agentType: opts.agentType ?? cursor.agentType,
          final: false
        });
        result.events.push(...part.events);
        result.badLines += part.badLines;
        for (const m of part.unknownModels) result.unknownModels.add(m);
      }
      carry = Buffer.from(data.subarray(end));
      if (pos >= st.size) break;
    }
    if (opts.final) releasePending(memory, result.events, null);
    const pending = [...memory.pending].map(([key, event]) => ({ key, event }));
    memory.pending = /* @__PURE__ */ new Map();
    const offset = pos - carry.length;
    const next = { agent: cursor.agent, ino: st.ino, offset, head: headOf(fd, offset) };
    if (cursor.agentType) next.agentType = cursor.agentType;
    if (pending.length) next.pending = pending;
    return { result, cursor: next };
  } finally {
    fs16.closeSync(fd);
  }
}
var newMemory, num3, HEAD_BYTES, CHUNK;
var init_transcript = __esm({
  "src/capture/transcript.ts"() {
    "use strict";
    init_canonical();
    init_pricing();
    init_events2();
    newMemory = () => ({
      seen: /* @__PURE__ */ new Set(),
      pending: /* @__PURE__ */ new Map(),
      pendingText: /* @__PURE__ */ new Map(),
      tools: /* @__PURE__ */ new Map()
    });
    num3 = (v) => typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
    HEAD_BYTES = 512;
    CHUNK = 4 * 1024 * 1024;
  }
});

// src/capture/collect.ts
var collect_exports = {};
__export(collect_exports, {
  PIECE_BYTES: () => PIECE_BYTES,
  flushWithTranscripts: () => flushWithTranscripts,
  sessionTranscriptPieces: () => sessionTranscriptPieces,
  transcriptCollector: () => transcriptCollector,
  transcriptName: () => transcriptName,
  transcriptPieces: () => transcriptPieces
});
import * as fs17 from "node:fs";
import * as path16 from "node:path";
function subagentFiles(mainTranscript) {
  const dir = path16.join(mainTranscript.replace(/\.jsonl$/, ""), "subagents");
  try {
    return fs17.readdirSync(dir).filter((f) => /^agent-.+\.jsonl$/.test(f)).map((f) => {
      let type = null;
      try {
        const meta = JSON.parse(fs17.readFileSync(path16.join(dir, `${f.slice(0, -6)}.meta.json`), "utf8"));
        type = typeof meta.agentType === "string" ? meta.agentType : null;
      } catch {
      }
      return { file: path16.join(dir, f), agent: f.slice(6, -6), type };
    });
  } catch {
    return [];
  }
}
function transcriptName(mainFile, file) {
  if (file === mainFile) return "main";
  const base = mainFile.replace(/\.jsonl$/, "");
  const rel2 = file.startsWith(`${base}${path16.sep}`) ? file.slice(base.length + 1) : path16.basename(file);
  return rel2.split(path16.sep).join("/").replace(/\.jsonl$/, "");
}
function transcriptPieces(file, session, name, from, to, opts) {
  if (to <= from) return [];
  const out2 = [];
  let fd;
  try {
    fd = fs17.openSync(file, "r");
  } catch {
    return out2;
  }
  try {
    let pos = from;
    while (pos < to) {
      let len = Math.min(PIECE_BYTES, to - pos);
      let buf = Buffer.allocUnsafe(len);
      len = fs17.readSync(fd, buf, 0, len, pos);
      if (len <= 0) break;
      buf = buf.subarray(0, len);
      let end = buf.lastIndexOf(10) + 1;
      if (end === 0) {
        const rest = [buf];
        let at = pos + len;
        let complete = false;
        while (at < to) {
          const more = Buffer.allocUnsafe(Math.min(PIECE_BYTES, to - at));
          const n2 = fs17.readSync(fd, more, 0, more.length, at);
          if (n2 <= 0) break;
          const nl = more.subarray(0, n2).indexOf(10);
          rest.push(more.subarray(0, nl >= 0 ? nl + 1 : n2));
          at += nl >= 0 ? nl + 1 : n2;
          if (nl >= 0) {
            complete = true;
            break;
          }
        }
        if (!complete && !opts.partial) break;
        buf = Buffer.concat(rest);
        end = buf.length;
      }
      const text2 = buf.subarray(0, end).toString("utf8");
      out2.push({ session, name, start: pos, end: pos + end, content: redactForStore(text2, opts) });
      pos += end;
    }
  } finally {
    fs17.closeSync(fd);
  }
  return out2;
}
function sessionTranscriptPieces(session, files, kept, config) {
  if (!config.transcripts.keep) return [];
  const opts = { extraPatterns: config.redaction.extraPatterns, allow: config.redaction.allow };
  const out2 = [];
  const main = files.main;
  for (const file of [...main ? [main] : [], ...files.subagents.map((x) => x.file)]) {
    const name = main ? transcriptName(main, file) : path16.basename(file, ".jsonl");
    let size2 = 0;
    try {
      size2 = fs17.statSync(file).size;
    } catch {
      continue;
    }
    const from = kept?.[name] ?? 0;
    out2.push(...transcriptPieces(file, session, name, from, size2, opts));
    const meta = file.replace(/\.jsonl$/, ".meta.json");
    if (from === 0 && name !== "main" && fs17.existsSync(meta))
      out2.push(
        ...transcriptPieces(meta, session, `${name}.meta.json`, 0, fs17.statSync(meta).size, {
          ...opts,
          partial: true
        })
      );
  }
  return out2;
}
function transcriptCollector(config, warn2 = () => {
}) {
  return async ({ events, index, cursors }) => {
    const prev = cursors && typeof cursors === "object" ? cursors : {};
    const next = {};
    const verify2 = [];
    for (const [id, c] of Object.entries(prev))
      next[id] = {
        ...c,
        files: { ...c.files },
        ...c.codex ? { codex: { ...c.codex, given: [...c.codex.given] } } : {},
        ...c.gemini ? { gemini: { ...c.gemini, given: [...c.gemini.given] } } : {}
      };
    for (const e of events) {
      let c = next[e.session];
      if (!c) {
        c = { files: {}, seen: [] };
        next[e.session] = c;
        if (index[e.session]) verify2.push(e.session);
      }
      if (e.type === "session_start" && typeof e.rolloutPath === "string")
        c.codex = { rollout: e.rolloutPath, given: c.codex?.given ?? [] };
      if (c.codex && !c.codex.given.includes(e.id)) c.codex.given.push(e.id);
      if (e.type === "session_start" && typeof e.chatPath === "string")
        c.gemini = {
          chat: e.chatPath,
          cwd: typeof e.cwd === "string" ? e.cwd : null,
          given: c.gemini?.given ?? []
        };
      if (c.gemini && !c.gemini.given.includes(e.id)) c.gemini.given.push(e.id);
      const t = typeof e.transcriptPath === "string" ? e.transcriptPath : null;
      if ((e.type === "session_start" || e.type === "prompt" && e.agent === "main") && t && !c.files[t])
        c.files[t] = { agent: "main", ino: 0, offset: 0, agentType: "main" };
      if (e.type === "agent_end" && t) {
        const agent = String(e.agentId ?? e.agent);
        c.files[t] ??= { agent, ino: 0, offset: 0 };
        if (typeof e.agentType === "string") c.files[t].agentType = e.agentType;
        if (!c.agentsEnded?.includes(agent)) c.agentsEnded = [...c.agentsEnded ?? [], agent];
      }
      if (e.type === "tool_call" && e.success === false && typeof e.toolUseId === "string") {
        c.hookFailed = [.../* @__PURE__ */ new Set([...c.hookFailed ?? [], e.toolUseId])];
        if (c.transcriptFailed?.includes(e.toolUseId) && !verify2.includes(e.session)) verify2.push(e.session);
      }
      if (e.type === "session_start") c.ended = null;
      if (e.type === "session_end") c.ended = e.ts;
      if (e.agent === "main" && (e.type === "stop" || e.type === "session_end")) c.turnOver = true;
      else if (e.agent === "main" && (e.type === "prompt" || e.type === "tool_start")) c.turnOver = false;
    }
    const out2 = [];
    const pieces = [];
    const redactOpts = { extraPatterns: config.redaction.extraPatterns, allow: config.redaction.allow };
    const unknown = /* @__PURE__ */ new Set();
    for (const [session, c] of Object.entries(next)) {
      if (c.codex || c.gemini) {
        if (c.codex) out2.push(...codexFresh(c.codex, config));
        if (c.gemini) out2.push(...geminiFresh(c.gemini, config));
        if (c.ended && Date.now() - Date.parse(c.ended) > KEEP_ENDED_MS) delete next[session];
        continue;
      }
      const main = Object.entries(c.files).find(([, f]) => f.agent === "main")?.[0];
      if (main)
        for (const s2 of subagentFiles(main)) {
          c.files[s2.file] ??= { agent: s2.agent, ino: 0, offset: 0 };
          if (s2.type && !c.files[s2.file].agentType) c.files[s2.file].agentType = s2.type;
        }
      const memory = { ...newMemory(), seen: new Set(c.seen) };
      const hookFailed = new Set(c.hookFailed ?? []);
      for (const [file, cursor] of Object.entries(c.files)) {
        const ended = Boolean(c.ended) || (cursor.agent === "main" ? Boolean(c.turnOver) : Boolean(c.agentsEnded?.includes(cursor.agent)));
        let idle = false;
        try {
          const since = Date.now() - fs17.statSync(file).mtimeMs;
          idle = since > IDLE_FINAL_MS;
          if (ended && since < SETTLE_MS) Atomics.wait(SLEEP, 0, 0, SETTLE_MS - since);
        } catch {
        }
        const final = ended || idle;
        const r2 = readTranscriptFile(file, cursor, session, memory, {
          final,
          cap: config.limits.toolOutputBytes
        });
        if (!r2) continue;
        c.files[file] = r2.cursor;
        if (config.transcripts.keep && main) {
          const name = transcriptName(main, file);
          const from = index[session]?.transcripts?.[name] ?? 0;
          if (r2.cursor.offset > from) {
            pieces.push(...transcriptPieces(file, session, name, from, r2.cursor.offset, redactOpts));
            const meta = file.replace(/\.jsonl$/, ".meta.json");
            if (from === 0 && name !== "main" && fs17.existsSync(meta))
              pieces.push(
                ...transcriptPieces(meta, session, `${name}.meta.json`, 0, fs17.statSync(meta).size, {
                  ...redactOpts,
                  partial: true
                })
              );
          }
        }
        const fresh = r2.result.events.filter(
          (e) => !((e.type === "tool_call" || e.type === "error") && hookFailed.has(String(e.toolUseId)))
        );
        const failedIds = fresh.filter((e) => e.type === "tool_call").map((e) => String(e.toolUseId));
        if (failedIds.length) c.transcriptFailed = [...c.transcriptFailed ?? [], ...failedIds];
        out2.push(...fresh);
        for (const m of r2.result.unknownModels) unknown.add(m);
      }
      c.seen = [...memory.seen];
      if (c.ended && Date.now() - Date.parse(c.ended) > KEEP_ENDED_MS) delete next[session];
    }
    for (const m of unknown)
      warn2(
        `no price for model '${m}': its tokens are shown as unpriced (add it under pricing: in .agent-tracking.yml)`
      );
    const redacted = out2.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
    return { events: redacted, cursors: next, verify: verify2, transcripts: pieces };
  };
}
function codexFresh(c, config) {
  let text2;
  try {
    text2 = fs17.readFileSync(c.rollout, "utf8");
  } catch {
    return [];
  }
  const { events } = codexEvents(parseLines(text2).records, {
    cap: config.limits.toolOutputBytes,
    source: "rollout"
  });
  const given = new Set(c.given);
  const fresh = events.filter((e) => !given.has(e.id));
  for (const e of fresh) c.given.push(e.id);
  return fresh;
}
function geminiFresh(c, config) {
  let text2;
  try {
    text2 = fs17.readFileSync(c.chat, "utf8");
  } catch {
    return [];
  }
  const { events } = geminiEvents(geminiRecords(text2), {
    cap: config.limits.toolOutputBytes,
    source: "chat",
    cwd: c.cwd
  });
  const given = new Set(c.given);
  const fresh = events.filter((e) => !given.has(e.id));
  for (const e of fresh) c.given.push(e.id);
  return fresh;
}
async function flushWithTranscripts(paths, opts = {}, warn2) {
  const config = await loadConfig(paths);
  const result = await flushSpool(paths, {
    ...opts,
    collect: transcriptCollector(config, warn2),
    // the sh hook's payloads, converted under the flush's lock (waiting for a reader converting them)
    convertRaw: () => convertRaw(paths, { waitMs: 1e4, config })
  });
  if (result.commits > 0) {
    try {
      await updateAttributionIndex(paths, await TrackingBranch.open(paths));
    } catch (e) {
      warn2?.(`attribution index not updated: ${e.message}`);
    }
  }
  return result;
}
var KEEP_ENDED_MS, PIECE_BYTES, IDLE_FINAL_MS, SETTLE_MS, SLEEP;
var init_collect = __esm({
  "src/capture/collect.ts"() {
    "use strict";
    init_redact();
    init_attribution2();
    init_config2();
    init_flush();
    init_reader();
    init_codex();
    init_gemini();
    init_raw();
    init_redact2();
    init_transcript();
    KEEP_ENDED_MS = 24 * 36e5;
    PIECE_BYTES = 8 * 1024 * 1024;
    IDLE_FINAL_MS = 10 * 6e4;
    SETTLE_MS = 400;
    SLEEP = new Int32Array(new SharedArrayBuffer(4));
  }
});

// src/capture/import-events.ts
import * as fs19 from "node:fs";
function structuralEvents(records, session, agent, agentType, config) {
  const out2 = [];
  const starts = /* @__PURE__ */ new Map();
  let first = null;
  let lastTs = null;
  let lastText = null;
  const cap = (v) => capValue(v, config.limits.toolOutputBytes);
  for (const rec of records) {
    const ts = str4(rec?.timestamp);
    if (!ts) continue;
    lastTs = ts;
    const base = (type, key) => {
      const e = {
        id: derivedId(type, session, `${agent}:${key}`),
        ts,
        session,
        agent,
        type,
        source: "import"
      };
      if (agentType) e.agentType = agentType;
      return e;
    };
    if (!first && (rec.type === "user" || rec.type === "assistant")) {
      first = rec;
      if (agent === "main") {
        out2.push({
          ...base("session_start", "start"),
          source: "import",
          cwd: str4(rec.cwd),
          branch: str4(rec.gitBranch),
          head: null,
          model: null,
          version: str4(rec.version)
        });
      } else out2.push({ ...base("agent_start", "start"), agentId: agent });
    }
    const content = rec.message?.content;
    if (rec.type === "user" && agent === "main" && typeof content === "string" && !rec.isMeta) {
      out2.push({ ...base("prompt", `prompt:${rec.uuid ?? ts}`), text: cap(content) });
    } else if (
      // a prompt with an image or a pasted file is a list of blocks: its text blocks are the prompt
      rec.type === "user" && agent === "main" && Array.isArray(content) && !rec.isMeta && !content.some((b) => b?.type === "tool_result")
    ) {
      const text2 = content.filter((b) => b?.type === "text" && typeof b.text === "string").map((b) => b.text).join("\n").trim();
      if (text2) out2.push({ ...base("prompt", `prompt:${rec.uuid ?? ts}`), text: cap(text2) });
    }
    if (!Array.isArray(content)) continue;
    for (const b of content) {
      if (rec.type === "assistant" && b?.type === "text" && typeof b.text === "string" && b.text.trim())
        lastText = b.text;
      if (rec.type === "assistant" && b?.type === "tool_use" && typeof b.id === "string") {
        const tool = String(b.name ?? "unknown");
        const input = relativeInput(b.input, str4(rec.cwd) ?? void 0);
        starts.set(b.id, { ts, tool, input, raw: b.input });
        const e = {
          ...base("tool_start", b.id),
          toolUseId: b.id,
          tool,
          input: cap(input ?? null)
        };
        if (AGENT_TOOLS.has(tool) && b.input)
          e.launch = {
            description: str4(b.input.description),
            prompt: cap(b.input.prompt ?? null),
            subagentType: str4(b.input.subagent_type)
          };
        out2.push(e);
      } else if (rec.type === "user" && b?.type === "tool_result" && typeof b.tool_use_id === "string" && b.is_error !== true) {
        const s2 = starts.get(b.tool_use_id);
        const result = rec.toolUseResult;
        const e = {
          ...base("tool_call", b.tool_use_id),
          toolUseId: b.tool_use_id,
          tool: s2?.tool ?? "unknown",
          input: cap(s2?.input ?? null),
          success: true,
          durationMs: s2 ? Date.parse(ts) - Date.parse(s2.ts) : null,
          outcome: "success",
          output: cap(result ?? null)
        };
        if (s2 && AGENT_TOOLS.has(s2.tool) && result && typeof result === "object")
          e.launchedAgent = str4(result.agentId);
        out2.push(e);
        if (s2 && FILE_TOOLS.has(s2.tool)) {
          const response = result && typeof result === "object" ? result : {};
          const fc = fileChange(
            { tool_name: s2.tool, tool_input: s2.raw, tool_response: response, tool_use_id: b.tool_use_id },
            { config, workTree: str4(rec.cwd) ?? void 0 },
            () => base("file_change", b.tool_use_id)
          );
          if (fc) out2.push(fc);
        }
      }
    }
  }
  if (agent !== "main" && lastTs) {
    const end = {
      id: derivedId("agent_end", session, `${agent}:end`),
      ts: lastTs,
      session,
      agent,
      type: "agent_end",
      source: "import",
      agentId: agent,
      lastMessage: lastText === null ? null : cap(lastText)
    };
    if (agentType) end.agentType = agentType;
    out2.push(end);
  }
  return out2;
}
function launchedTypes(records) {
  const typeOfCall = /* @__PURE__ */ new Map();
  const out2 = /* @__PURE__ */ new Map();
  for (const rec of records) {
    const content = rec?.message?.content;
    if (!Array.isArray(content)) continue;
    for (const b of content) {
      if (rec.type === "assistant" && b?.type === "tool_use" && AGENT_TOOLS.has(b.name) && b.id)
        typeOfCall.set(b.id, str4(b.input?.subagent_type) ?? "general-purpose");
      if (rec.type === "user" && b?.type === "tool_result" && typeof b.tool_use_id === "string") {
        const agentId = str4(rec.toolUseResult?.agentId);
        const type = str4(rec.toolUseResult?.agentType) ?? typeOfCall.get(b.tool_use_id);
        if (agentId && type) out2.set(agentId, type);
      }
    }
  }
  return out2;
}
function progressAgents(main, have, types) {
  const callType = /* @__PURE__ */ new Map();
  const byAgent = /* @__PURE__ */ new Map();
  for (const rec of main) {
    if (rec?.type === "assistant" && Array.isArray(rec.message?.content)) {
      for (const b of rec.message.content)
        if (b?.type === "tool_use" && AGENT_TOOLS.has(b.name) && b.id)
          callType.set(b.id, str4(b.input?.subagent_type) ?? "general-purpose");
    }
    const d = rec?.type === "progress" ? rec.data : null;
    const agent = str4(d?.agentId);
    if (!d || d.type !== "agent_progress" || !agent || have.has(agent) || !d.message) continue;
    const a = byAgent.get(agent) ?? { records: [], type: null };
    a.type ??= callType.get(String(rec.parentToolUseID)) ?? null;
    a.records.push({ ...d.message, agentId: agent, timestamp: d.message.timestamp ?? rec.timestamp });
    byAgent.set(agent, a);
  }
  return [...byAgent].map(([agent, a]) => ({
    records: a.records,
    agent,
    type: types.get(agent) ?? a.type ?? "general-purpose",
    progress: true
  }));
}
function metaType(file) {
  try {
    return str4(JSON.parse(fs19.readFileSync(file.replace(/\.jsonl$/, ".meta.json"), "utf8")).agentType);
  } catch {
    return null;
  }
}
function importSessionEvents(s2, known, config) {
  const r2 = readSessionEvents(s2, known, config);
  const lines = r2.events.map((e) => JSON.stringify(e));
  return {
    session: s2.session,
    events: r2.events,
    lines,
    badLines: r2.badLines,
    unknownModels: r2.unknownModels
  };
}
function prepareNewSession(s2, config) {
  const r2 = readSessionEvents(s2, false, config);
  const base = {
    session: s2.session,
    events: [],
    lines: [],
    badLines: r2.badLines,
    unknownModels: r2.unknownModels
  };
  if (r2.events.length === 0) return base;
  const seen = /* @__PURE__ */ new Set();
  const events = r2.events.filter((e) => {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
  let text2 = "";
  for (const e of events) text2 += `${JSON.stringify(e)}
`;
  const summary = foldSummary({ ...emptySummary(s2.session, "", ""), author: null }, events);
  return {
    ...base,
    prepared: {
      session: s2.session,
      // JSON of redacted values; the store's full pass runs on it before it is written
      text: text2,
      events: events.length,
      firstTs: events.map((e) => e.ts).sort()[0],
      summary
    }
  };
}
function readSessionEvents(s2, known, config) {
  const unknown = /* @__PURE__ */ new Set();
  if (s2.agentTool === "codex" && s2.main) return readCodexSession(s2.main, known, config);
  if (s2.agentTool === "gemini" && s2.main) return readGeminiSession(s2.main, config);
  const memory = newMemory();
  const events = [];
  let badLines = 0;
  let usage = 0;
  const parsed = (file) => {
    const r2 = parseLines(fs19.readFileSync(file, "utf8"));
    badLines += r2.badLines;
    return r2.records;
  };
  const mainRecords = s2.main ? parsed(s2.main) : [];
  const types = launchedTypes(mainRecords);
  const files = [];
  if (s2.main) files.push({ records: mainRecords, agent: "main", type: "main" });
  for (const sub of s2.subagents) {
    const type = metaType(sub.file) ?? types.get(sub.agent) ?? "sidechain";
    files.push({ records: parsed(sub.file), agent: sub.agent, type });
  }
  files.push(...progressAgents(mainRecords, new Set(s2.subagents.map((x) => x.agent)), types));
  const cap = config.limits.toolOutputBytes;
  for (const f of files) {
    const r2 = transcriptEvents(f.records, s2.session, f.agent, memory, {
      agentType: f.type,
      final: true,
      cap
    });
    for (const m of r2.unknownModels) unknown.add(m);
    if (f.progress) for (const e of r2.events) e.source = "agent_progress";
    for (const e of r2.events) if (e.type === "usage") usage++;
    events.push(...r2.events);
    if (!known) events.push(...structuralEvents(f.records, s2.session, f.agent, f.type, config));
  }
  if (usage === 0 && !known) return { events: [], badLines, unknownModels: [] };
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  return { events: redacted, badLines, unknownModels: [...unknown] };
}
function readCodexSession(file, _known, config) {
  const r2 = parseLines(fs19.readFileSync(file, "utf8"));
  const { events } = codexEvents(r2.records, { cap: config.limits.toolOutputBytes, source: "import" });
  if (!events.some((e) => e.type === "usage")) return { events: [], badLines: r2.badLines, unknownModels: [] };
  const unknown = /* @__PURE__ */ new Set();
  for (const e of events) if (e.type === "usage" && !priceOf(String(e.model))) unknown.add(String(e.model));
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  return { events: redacted, badLines: r2.badLines, unknownModels: [...unknown] };
}
function readGeminiSession(file, config) {
  const { events } = geminiEvents(geminiRecords(fs19.readFileSync(file, "utf8")), {
    cap: config.limits.toolOutputBytes,
    source: "import",
    cwd: chatProjectRoot(file)
  });
  if (!events.some((e) => e.type === "usage")) return { events: [], badLines: 0, unknownModels: [] };
  const unknown = /* @__PURE__ */ new Set();
  for (const e of events) if (e.type === "usage" && !priceOf(String(e.model))) unknown.add(String(e.model));
  const redacted = events.map((e) => redactValue(e, { extraPatterns: config.redaction.extraPatterns }));
  return { events: redacted, badLines: 0, unknownModels: [...unknown] };
}
var str4;
var init_import_events = __esm({
  "src/capture/import-events.ts"() {
    "use strict";
    init_pricing();
    init_session();
    init_codex();
    init_events2();
    init_gemini();
    init_redact2();
    init_transcript();
    str4 = (v) => typeof v === "string" ? v : null;
  }
});

// src/capture/import.ts
import * as fs20 from "node:fs";
import * as os5 from "node:os";
import * as path18 from "node:path";
import { Worker } from "node:worker_threads";
function findTranscripts(inputs) {
  const sessions = /* @__PURE__ */ new Map();
  const get = (id) => {
    let s2 = sessions.get(id);
    if (!s2) {
      s2 = { session: id, main: null, subagents: [], bytes: 0, mtimeMs: 0 };
      sessions.set(id, s2);
    }
    return s2;
  };
  const add = (file) => {
    const chat = file.endsWith(".json") && path18.basename(path18.dirname(file)) === "chats";
    if (!file.endsWith(".jsonl") && !chat) return;
    const st = fs20.statSync(file);
    const base = path18.basename(file, ".jsonl");
    const thread = base.startsWith("rollout-") ? rolloutThreadId(file) : null;
    if (base.startsWith("session-") && path18.basename(path18.dirname(file)) === "chats") {
      const m = /"sessionId":"([^"]+)"/.exec(firstBytes(file, 4096));
      if (m) {
        const c = get(m[1]);
        c.main = file;
        c.agentTool = "gemini";
        c.bytes += st.size;
        c.mtimeMs = Math.max(c.mtimeMs, st.mtimeMs);
        return;
      }
    }
    if (thread && isRolloutFile(file)) {
      const c = get(thread);
      c.main = file;
      c.agentTool = "codex";
      c.bytes += st.size;
      c.mtimeMs = Math.max(c.mtimeMs, st.mtimeMs);
      return;
    }
    const parent = path18.dirname(file);
    let s2;
    const sidechainOf = base.startsWith("agent-") ? path18.basename(parent) === "subagents" ? path18.basename(path18.dirname(parent)) : sessionIdOf(file) : null;
    if (sidechainOf) {
      s2 = get(sidechainOf);
      if (!s2.subagents.some((x) => x.file === file)) s2.subagents.push({ file, agent: base.slice(6) });
    } else {
      s2 = get(base);
      s2.main = file;
    }
    s2.bytes += st.size;
    s2.mtimeMs = Math.max(s2.mtimeMs, st.mtimeMs);
  };
  const walk3 = (p) => {
    const st = fs20.statSync(p);
    if (st.isDirectory()) for (const e of fs20.readdirSync(p).sort()) walk3(path18.join(p, e));
    else add(p);
  };
  for (const input of inputs) {
    if (!fs20.existsSync(input)) throw new Error(`no such file or folder: ${input}`);
    walk3(path18.resolve(input));
  }
  return [...sessions.values()].sort((a, b) => a.session.localeCompare(b.session));
}
function isRolloutFile(file) {
  return /^\{"timestamp":"[^"]*",(?:"ordinal":\d+,)?"type":"session_meta"/.test(firstBytes(file, 256));
}
function firstBytes(file, n2) {
  const fd = fs20.openSync(file, "r");
  try {
    const buf = Buffer.alloc(n2);
    return buf.subarray(0, fs20.readSync(fd, buf, 0, n2, 0)).toString("utf8");
  } finally {
    fs20.closeSync(fd);
  }
}
function codexRollouts(workTree, home = codexHome()) {
  const root = path18.join(home, "sessions");
  const out2 = [];
  const walk3 = (d) => {
    let entries;
    try {
      entries = fs20.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path18.join(d, e.name);
      if (e.isDirectory()) walk3(p);
      else if (e.name.startsWith("rollout-") && e.name.endsWith(".jsonl")) {
        const m = /"cwd":"((?:[^"\\]|\\.)*)"/.exec(firstBytes(p, 64 * 1024));
        const cwd = m ? JSON.parse(`"${m[1]}"`) : null;
        if (cwd && (cwd === workTree || cwd.startsWith(`${workTree}/`))) out2.push(p);
      }
    }
  };
  walk3(root);
  return out2;
}
function sessionIdOf(file) {
  const fd = fs20.openSync(file, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n2 = fs20.readSync(fd, buf, 0, buf.length, 0);
    const m = /"sessionId":"([^"]+)"/.exec(buf.subarray(0, n2).toString("utf8"));
    return m ? m[1] : null;
  } finally {
    fs20.closeSync(fd);
  }
}
function workerCount(opts, sessions) {
  if (!opts.workerScript || !fs20.existsSync(opts.workerScript) || sessions < 2) return 0;
  const env = Number.parseInt(process.env.AGENT_TRACK_IMPORT_WORKERS ?? "", 10);
  const n2 = Number.isFinite(env) ? env : opts.workers ?? Math.min(4, os5.availableParallelism());
  return Math.max(0, n2);
}
async function importTranscripts(paths, inputs, opts = {}) {
  const config = await loadConfig(paths);
  const all = findTranscripts(inputs);
  const list = opts.since ? all.filter((s2) => s2.mtimeMs >= opts.since.getTime()) : all;
  const summary = {
    sessions: list.length,
    newSessions: 0,
    bytes: 0,
    events: 0,
    duplicates: 0,
    badLines: 0,
    skippedOlder: all.length - list.length,
    withoutUsage: 0,
    unknownModels: []
  };
  const unknown = /* @__PURE__ */ new Set();
  const batch = opts.batch ?? 1e3;
  const batchBytes = opts.batchBytes ?? 16 * 2 ** 20;
  await flushSpool(paths, { waitMs: 6e4 });
  const indexAtStart = readState(paths)?.index ?? {};
  const readChunk = Math.max(1, Math.min(batch, 25));
  const chunkBytes = Math.max(1, Math.floor(batchBytes / 8));
  const chunks = [];
  for (let i = 0; i < list.length; ) {
    const chunk = [];
    let bytes = 0;
    while (i < list.length && chunk.length < readChunk && (chunk.length === 0 || bytes + list[i].bytes <= chunkBytes)) {
      bytes += list[i].bytes;
      chunk.push(list[i++]);
    }
    chunks.push(chunk);
  }
  const size2 = workerCount(opts, list.length);
  const pool = size2 > 0 ? new ReaderPool(opts.workerScript, size2) : null;
  const readOne = (s2, known) => known ? importSessionEvents(s2, true, config) : prepareNewSession(s2, config);
  const read = (chunk) => {
    const known = chunk.map((s2) => Boolean(indexAtStart[s2.session]));
    if (pool && chunk.every((s2) => s2.bytes <= WORKER_SESSION_BYTES)) return pool.read(chunk, known, config);
    return Promise.resolve(chunk.map((s2, k) => readOne(s2, known[k])));
  };
  const inFlight = [];
  const ahead = pool ? 8 + 2 * size2 : 1;
  let dispatched = 0;
  const fill = () => {
    while (dispatched < chunks.length && inFlight.length < ahead) {
      const p = read(chunks[dispatched++]);
      p.catch(() => {
      });
      inFlight.push(p);
    }
  };
  let done2 = 0;
  try {
    while (done2 < list.length) {
      const files = [];
      const results = [];
      let bytes = 0;
      while (files.length < batch && bytes < batchBytes && done2 + files.length < list.length) {
        fill();
        const got = await inFlight.shift();
        const from = done2 + files.length;
        for (const s2 of list.slice(from, from + got.length)) {
          files.push(s2);
          bytes += s2.bytes;
        }
        results.push(...got);
      }
      fill();
      let given = false;
      const result = await flushSpool(paths, {
        waitMs: 6e4,
        collect: async ({ index, cursors }) => {
          if (given) return { events: [], cursors, verify: [] };
          given = true;
          const events = [];
          const prepared = [];
          const verify2 = [];
          const transcripts = [];
          files.forEach((s2, k) => {
            const known = Boolean(index[s2.session]);
            let r2 = results[k];
            if (known !== Boolean(indexAtStart[s2.session])) r2 = readOne(s2, known);
            if (r2.prepared) prepared.push(r2.prepared);
            if (known) verify2.push(s2.session);
            else if (r2.events.length || r2.prepared) summary.newSessions++;
            else summary.withoutUsage++;
            summary.badLines += r2.badLines;
            for (const m of r2.unknownModels) unknown.add(m);
            r2.events.forEach((e, i) => {
              serialized.set(e, r2.lines[i]);
              events.push(e);
            });
            if (known || r2.events.length || r2.prepared)
              transcripts.push(
                ...sessionTranscriptPieces(s2.session, s2, index[s2.session]?.transcripts, config)
              );
          });
          return { events, cursors, verify: verify2, prepared, transcripts };
        }
      });
      done2 += files.length;
      summary.events += result.events;
      summary.duplicates += result.duplicates;
      summary.bytes += files.reduce((a, s2) => a + s2.bytes, 0);
      opts.onProgress?.(done2, list.length, summary.bytes);
    }
  } finally {
    await pool?.close();
  }
  summary.unknownModels = [...unknown].sort();
  return summary;
}
function defaultImportSources(workTree, agent, home = os5.homedir()) {
  if (agent !== void 0 && !IMPORT_AGENTS.includes(agent))
    throw new Error(`--agent takes ${IMPORT_AGENTS.join(" or ")}, not '${agent}'`);
  const out2 = [];
  const claude = projectFolder(workTree, home);
  if ((agent === void 0 || agent === "claude") && fs20.existsSync(claude)) out2.push(claude);
  if (agent === void 0 || agent === "codex")
    out2.push(...codexRollouts(workTree, codexHome(process.env, home)));
  if (agent === void 0 || agent === "gemini") out2.push(...geminiChats(workTree, home));
  if (!out2.length)
    throw new Error(
      agent === "gemini" ? `no Gemini CLI chat of this repository under ${path18.join(home, ".gemini", "tmp")}; give the chat files or folders to import` : agent === "codex" ? `no Codex thread of this repository under ${path18.join(codexHome(process.env, home), "sessions")}; give the rollout files or folders to import` : agent === "claude" ? `no transcripts for this repository in ${claude}; give the files or folders to import` : `no transcripts for this repository in ${claude} nor Codex threads under ${path18.join(codexHome(process.env, home), "sessions")}; give the files or folders to import`
    );
  return out2;
}
var projectFolderName, projectFolder, codexHome, ReaderPool, WORKER_HEAP_MB, WORKER_SESSION_BYTES, IMPORT_AGENTS;
var init_import = __esm({
  "src/capture/import.ts"() {
    "use strict";
    init_config2();
    init_flush();
    init_collect();
    init_import_events();
    init_codex();
    init_gemini();
    projectFolderName = (cwd) => cwd.replace(/[^A-Za-z0-9]/g, "-");
    projectFolder = (workTree, home = os5.homedir()) => path18.join(home, ".claude", "projects", projectFolderName(workTree));
    codexHome = (env = process.env, home = os5.homedir()) => env.CODEX_HOME || path18.join(home, ".codex");
    ReaderPool = class {
      workers = [];
      waiting = /* @__PURE__ */ new Map();
      next = 0;
      constructor(script, size2) {
        for (let i = 0; i < size2; i++) {
          const w = new Worker(script, {
            resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16 }
          });
          w.on("message", (m) => {
            const p = this.waiting.get(m.id);
            this.waiting.delete(m.id);
            if ("error" in m) p?.reject(new Error(m.error));
            else p?.resolve(m.results);
          });
          w.on("error", (e) => {
            for (const p of this.waiting.values()) p.reject(e);
            this.waiting.clear();
          });
          this.workers.push(w);
        }
      }
      read(sessions, known, config) {
        const id = this.next++;
        return new Promise((resolve13, reject) => {
          this.waiting.set(id, { resolve: resolve13, reject });
          const req = { id, sessions, known, config };
          this.workers[id % this.workers.length].postMessage(req);
        });
      }
      async close() {
        await Promise.all(this.workers.map((w) => w.terminate()));
      }
    };
    WORKER_HEAP_MB = 128;
    WORKER_SESSION_BYTES = 8 * 2 ** 20;
    IMPORT_AGENTS = ["claude", "codex", "gemini"];
  }
});

// src/store/init.ts
async function ensureBranch(paths) {
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const existing = readRef(paths.commonDir, TRACKING_REF);
  if (existing) return { tip: existing, created: false };
  const store = new ObjectStore(paths.commonDir);
  const readme = await store.writeBlob(redactForStore(renderIndex([])));
  const tree = await store.writeTree([{ mode: "100644", path: "README.md", oid: readme, type: "blob" }]);
  const commit = await store.writeCommit(
    tree,
    [],
    "agent-track: start the agent-tracking branch",
    gitIdentity(paths.workTree)
  );
  if (await updateRefCAS(paths.commonDir, TRACKING_REF, commit, null)) return { tip: commit, created: true };
  return { tip: readRef(paths.commonDir, TRACKING_REF), created: false };
}
var init_init = __esm({
  "src/store/init.ts"() {
    "use strict";
    init_redact();
    init_git();
    init_layout();
    init_lock();
    init_owner();
    init_paths();
  }
});

// src/store/compaction.ts
import { execFileSync as execFileSync2 } from "node:child_process";
function compactionMessage(record) {
  return [
    `agent-track: compact ${"agent-tracking"} onto a new root (replaces ${record.replacedTip.slice(0, 12)})`,
    "",
    `The tree is ${record.replacedTip}'s. ${record.manifests.length} archived phase${record.manifests.length === 1 ? "" : "s"} (${record.manifests.map((m) => m.phase).join(", ")}) were verified in S3 first; restore one with \`agent-track archive restore <phase>\`.`,
    "",
    `${COMPACTED_TRAILER}: ${JSON.stringify(record)}`,
    ""
  ].join("\n");
}
function parseCompaction(message) {
  const line = message.split("\n").reverse().find((l) => l.startsWith(`${COMPACTED_TRAILER}: `));
  if (!line) return null;
  try {
    const r2 = JSON.parse(line.slice(COMPACTED_TRAILER.length + 2));
    return r2 && r2.version === 1 && typeof r2.replacedTip === "string" ? r2 : null;
  } catch {
    return null;
  }
}
function rootsOf(paths, tip) {
  try {
    return execFileSync2("git", ["rev-list", "--max-parents=0", tip], {
      cwd: paths.workTree,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 16 << 20
    }).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}
async function compactionOf(paths, store, tip) {
  for (const root of rootsOf(paths, tip)) {
    const record = parseCompaction((await store.readCommit(root)).message);
    if (record) return { ...record, root };
  }
  return null;
}
var COMPACTED_TRAILER, PRE_COMPACT_PREFIX;
var init_compaction = __esm({
  "src/store/compaction.ts"() {
    "use strict";
    COMPACTED_TRAILER = "Agent-Tracking-Compacted";
    PRE_COMPACT_PREFIX = "refs/agent-tracking/pre-compact/";
  }
});

// src/store/rescan.ts
import { execFileSync as execFileSync3 } from "node:child_process";
function remoteTips(paths, remote) {
  if (!/^[\w.-]+$/.test(remote)) return [];
  return git3(paths, ["for-each-ref", "--format=%(objectname)", `refs/remotes/${remote}/`]).toString("utf8").split("\n").filter(Boolean);
}
function rescanOutgoing(paths, tip, remote) {
  const exclude = remoteTips(paths, remote).map((oid) => `^${oid}`);
  const listed = git3(paths, ["rev-list", "--objects", tip, ...exclude]).toString("utf8").split("\n").filter(Boolean);
  const pathOf = /* @__PURE__ */ new Map();
  for (const line of listed) {
    const sp = line.indexOf(" ");
    const oid = sp < 0 ? line : line.slice(0, sp);
    if (!pathOf.has(oid)) pathOf.set(oid, sp < 0 ? null : line.slice(sp + 1));
  }
  if (!pathOf.size) return [];
  const out2 = git3(paths, ["cat-file", "--batch"], `${[...pathOf.keys()].join("\n")}
`);
  const findings = [];
  let pos = 0;
  while (pos < out2.length) {
    const nl = out2.indexOf(10, pos);
    const [oid, type, size2] = out2.subarray(pos, nl).toString("utf8").split(" ");
    const start = nl + 1;
    const end = start + Number(size2);
    pos = end + 1;
    if (type !== "blob" && type !== "commit") continue;
    const body = out2.subarray(start, end);
    let text2 = body.toString("utf8");
    if (Buffer.byteLength(text2) !== body.length) text2 = body.toString("latin1");
    if (type === "commit") text2 = text2.slice(text2.indexOf("\n\n") + 2);
    for (const f of findSecrets(text2, { pass: "full" }))
      findings.push({
        object: oid,
        type,
        path: pathOf.get(oid) ?? null,
        line: text2.slice(0, f.start).split("\n").length,
        kind: f.kind
      });
  }
  return findings;
}
function describeFindings(findings, max = 10) {
  const lines = findings.slice(0, max).map(
    (f) => f.type === "commit" ? `  commit ${f.object.slice(0, 12)} message, line ${f.line}: ${f.kind}` : `  ${f.path ?? "(no path)"} (blob ${f.object.slice(0, 12)}), line ${f.line}: ${f.kind}`
  );
  if (findings.length > max) lines.push(`  \u2026 and ${findings.length - max} more`);
  return lines.join("\n");
}
var git3;
var init_rescan = __esm({
  "src/store/rescan.ts"() {
    "use strict";
    init_redact();
    git3 = (paths, args, input) => execFileSync3("git", args, {
      cwd: paths.workTree,
      input,
      maxBuffer: 1 << 30,
      stdio: ["pipe", "pipe", "pipe"]
    });
  }
});

// src/store/sync.ts
var sync_exports = {};
__export(sync_exports, {
  SyncError: () => SyncError,
  fetchBranch: () => fetchBranch,
  isRemoteName: () => isRemoteName,
  mergeBranches: () => mergeBranches,
  pullBranch: () => pullBranch,
  pushBranch: () => pushBranch,
  refuseFirstBranch: () => refuseFirstBranch,
  remoteTrackingRef: () => remoteTrackingRef,
  ruleRejection: () => ruleRejection,
  runGit: () => runGit
});
import { spawn as spawn2 } from "node:child_process";
import { createHash as createHash12 } from "node:crypto";
import * as fs21 from "node:fs";
import * as path19 from "node:path";
function runGit(paths, args, opts = {}) {
  const since = Date.now();
  return new Promise((resolve13, reject) => {
    const child = spawn2("git", args, {
      cwd: paths.workTree,
      stdio: [opts.input === void 0 ? "ignore" : "pipe", "pipe", "pipe"],
      env: { ...process.env, ...opts.prompt ? {} : { GIT_TERMINAL_PROMPT: "0" }, ...opts.env }
    });
    if (opts.input !== void 0) child.stdin.end(opts.input);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => stdout += d);
    child.stderr.on("data", (d) => stderr += d);
    child.on("error", reject);
    child.on("close", (code2) => {
      giveBackToOwner(paths.commonDir, since);
      resolve13({ code: code2 ?? 1, stdout, stderr });
    });
  });
}
function ruleRejection(remote, r2) {
  const lines = (r2.stderr + r2.stdout).split("\n").map((l) => l.trim());
  const remoteSaid = lines.filter((l) => /^remote:/.test(l)).map((l) => l.replace(/^remote:\s*/, "").trim()).filter((l) => l && !/^-+$/.test(l));
  const reason = /\[remote rejected\][^\n]*?\(([^)]+)\)/.exec(r2.stdout + r2.stderr)?.[1];
  const message = remoteSaid.join(" ").slice(0, 600) || reason || gitMessage(r2);
  return `${remote} refused the push of ${TRACKING_BRANCH} by a rule${reason ? ` (${reason})` : ""}: ${message}. Nothing was lost; let ${TRACKING_BRANCH} be pushed to (exempt it from the branch rule or ruleset, or give the pusher the bypass), then run \`agent-track push\` again`;
}
async function refuseFirstBranch(paths, remote, prompt) {
  const r2 = await runGit(paths, ["ls-remote", "--heads", remote], { prompt });
  if (r2.code !== 0) return;
  const heads = r2.stdout.split("\n").map((l) => l.split("	")[1]).filter((ref) => Boolean(ref) && ref !== TRACKING_REF);
  if (heads.length) return;
  throw new SyncError(
    `${remote} has no branch yet: ${TRACKING_BRANCH} pushed first would become its default branch. Push your main branch first (git push -u ${/^[\w.-]+$/.test(remote) ? remote : "<remote>"} main), then \`agent-track push\` again; or, if this repository holds only the agent history, \`agent-track push --force-first\``
  );
}
async function isRemoteName(paths, remote) {
  if (!/^[\w.-]+$/.test(remote)) return false;
  return (await runGit(paths, ["config", "--get", `remote.${remote}.url`])).code === 0;
}
async function remoteTrackingRef(paths, remote) {
  if (await isRemoteName(paths, remote)) return `refs/remotes/${remote}/${TRACKING_BRANCH}`;
  const key = createHash12("sha1").update(remote).digest("hex").slice(0, 12);
  return `refs/agent-tracking/remotes/${key}`;
}
async function fetchBranch(paths, remote) {
  const ref = await remoteTrackingRef(paths, remote);
  const r2 = await runGit(paths, [
    "fetch",
    "--quiet",
    "--no-tags",
    "--no-write-fetch-head",
    remote,
    `+${TRACKING_REF}:${ref}`
  ]);
  if (r2.code !== 0) {
    if (/couldn't find remote ref/i.test(r2.stderr)) return null;
    throw new SyncError(`could not fetch ${TRACKING_BRANCH} from ${remote}: ${gitMessage(r2)}`);
  }
  return readRef(paths.commonDir, ref) ?? await revParse(paths, ref);
}
async function revParse(paths, rev) {
  const r2 = await runGit(paths, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  return r2.code === 0 ? r2.stdout.trim() : null;
}
async function mergeBase(paths, a, b) {
  const r2 = await runGit(paths, ["merge-base", a, b]);
  return r2.code === 0 ? r2.stdout.trim() || null : null;
}
async function mergeBranches(paths, ours, theirs, replay) {
  const store = new ObjectStore(paths.commonDir);
  const baseCommit = replay ? replay.base : await mergeBase(paths, ours, theirs);
  const treeOf = async (c) => c ? (await store.readCommit(c)).tree : null;
  const [baseTree, ourTree, theirTree] = await Promise.all([
    treeOf(baseCommit),
    treeOf(ours),
    treeOf(theirs)
  ]);
  const archived = /* @__PURE__ */ new Set();
  if (replay && theirTree)
    for (const e of await new TreeEditor(store, theirTree).list("phases") ?? []) {
      if (e.type !== "tree") continue;
      if ((await store.readTree(e.oid)).some((x) => x.path === "ARCHIVED.json"))
        archived.add(`phases/${e.path}`);
    }
  const merger = new TreeMerger(store, archived);
  const rootEntries = await merger.mergeDir("", baseTree, ourTree, theirTree);
  const mergedTree = await store.writeTree(rootEntries);
  if (replay && mergedTree === theirTree)
    return { commit: theirs, conflicts: merger.conflicts, dropped: merger.dropped };
  const tree = new TreeEditor(store, mergedTree);
  const unified = await unifySessionFolders(tree);
  const dirs = await findSessionDirs(tree);
  const index = { ...await rebuildIndex(tree, dirs), ...Object.fromEntries(unified) };
  tree.stageFile("README.md", redactForStore(renderIndex(Object.values(index))));
  const root = await tree.write();
  if (replay && root === theirTree)
    return { commit: theirs, conflicts: merger.conflicts, dropped: merger.dropped };
  const commit = await store.writeCommit(
    root,
    replay ? [theirs] : [theirs, ours],
    replay ? `agent-track: replay this clone's sessions onto the compacted ${TRACKING_BRANCH} (was ${ours.slice(0, 12)})` : `agent-track: merge ${TRACKING_BRANCH} from the remote`,
    gitIdentity(paths.workTree)
  );
  return {
    commit,
    conflicts: merger.conflicts,
    dropped: merger.dropped
  };
}
async function replayBase(paths, ours, theirs, lastSeen) {
  if (await mergeBase(paths, ours, theirs)) return null;
  const record = await compactionOf(paths, new ObjectStore(paths.commonDir), theirs);
  if (!record) return null;
  const candidates = [record.replacedTip, ...record.previous.map((p) => p.replacedTip), lastSeen];
  for (const c of candidates) {
    if (!c || !await revParse(paths, c)) continue;
    if (await isAncestor2(paths, c, ours)) return { base: c, record };
  }
  return { base: null, record };
}
async function pullBranch(paths, remote) {
  adoptOwnership(paths.commonDir, paths.workTree);
  const trackingRef = await remoteTrackingRef(paths, remote);
  const lastSeen = readRef(paths.commonDir, trackingRef) ?? await revParse(paths, trackingRef);
  const theirs = await fetchBranch(paths, remote);
  const result = {
    remote,
    outcome: "no-remote-branch",
    tip: null,
    sessionsFromRemote: 0,
    conflicts: []
  };
  for (let attempt = 0; ; attempt++) {
    const ours = readRef(paths.commonDir, TRACKING_REF);
    result.tip = ours;
    if (!theirs) return result;
    let next;
    if (!ours) {
      next = theirs;
      result.outcome = "adopted";
    } else if (ours === theirs) {
      result.outcome = "up-to-date";
      return result;
    } else if (await isAncestor2(paths, theirs, ours)) {
      result.outcome = "ahead";
      return result;
    } else if (await isAncestor2(paths, ours, theirs)) {
      next = theirs;
      result.outcome = "fast-forward";
    } else {
      const replay = await replayBase(paths, ours, theirs, lastSeen);
      const m = await mergeBranches(paths, ours, theirs, replay ? { base: replay.base } : void 0);
      next = m.commit;
      result.outcome = replay ? "replayed" : "merged";
      result.conflicts = m.conflicts;
      if (replay) {
        result.dropped = m.dropped;
        const release = await acquireMutex(path19.join(paths.trackingDir, "flush.lock"), 12e4);
        if (!release) throw new SyncError("another flush holds the lock for too long; try again");
        try {
          if (readRef(paths.commonDir, TRACKING_REF) !== ours) continue;
          const kept = `${PRE_COMPACT_PREFIX}${(/* @__PURE__ */ new Date()).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${ours.slice(0, 8)}`;
          await runGit(paths, ["update-ref", kept, ours]);
          if (!await updateRefCAS(paths.commonDir, TRACKING_REF, next, ours)) {
            await runGit(paths, ["update-ref", "-d", kept]);
            if (attempt > 20) throw new SyncError("the agent-tracking branch keeps moving; try again");
            continue;
          }
          result.kept = kept;
          await retargetState(paths, ours, next);
        } finally {
          release();
        }
        result.tip = next;
        result.sessionsFromRemote = await countNewSessions(paths, ours, next);
        return result;
      }
    }
    if (await updateRefCAS(paths.commonDir, TRACKING_REF, next, ours)) {
      result.tip = next;
      result.sessionsFromRemote = await countNewSessions(paths, ours, next);
      return result;
    }
    if (attempt > 20) throw new SyncError("the agent-tracking branch keeps moving; try again");
  }
}
async function countNewSessions(paths, before, after) {
  const store = new ObjectStore(paths.commonDir);
  const dirsOf = async (c) => c ? await findSessionDirs(new TreeEditor(store, (await store.readCommit(c)).tree)) : /* @__PURE__ */ new Map();
  const [a, b] = await Promise.all([dirsOf(before), dirsOf(after)]);
  return [...b.keys()].filter((s2) => !a.has(s2)).length;
}
function readSyncState(paths) {
  try {
    return JSON.parse(fs21.readFileSync(syncStateFile(paths), "utf8"));
  } catch {
    return {};
  }
}
function writeSyncState(paths, state) {
  mkdirOwned(paths.trackingDir);
  writeFileDurable(syncStateFile(paths), JSON.stringify(state));
}
async function pushBranch(paths, remote, opts = {}) {
  adoptOwnership(paths.commonDir, paths.workTree);
  const maxAttempts = opts.maxAttempts ?? 12;
  const result = {
    remote,
    outcome: "up-to-date",
    tip: "",
    attempts: 0,
    merges: 0,
    sessionsFromRemote: 0,
    conflicts: [],
    migratedFrom: null
  };
  if (!readRef(paths.commonDir, TRACKING_REF))
    throw new SyncError(
      `nothing to push: this clone has no ${TRACKING_BRANCH} branch (run \`agent-track init\`)`
    );
  const last = readSyncState(paths).lastRemote;
  if (last && last !== remote && !opts.skipPrevious) {
    const moved = await pullBranch(paths, last).catch((e) => {
      throw new SyncError(
        `tracking.remote changed from ${last} to ${remote}, and ${last} could not be read to carry its sessions over (${e.message}); push with --skip-previous to leave them there`
      );
    });
    result.migratedFrom = last;
    result.sessionsFromRemote += moved.sessionsFromRemote;
    if (moved.outcome === "merged") result.merges++;
  }
  for (; ; ) {
    result.attempts++;
    const pulled = await pullBranch(paths, remote);
    if (pulled.outcome === "merged") result.merges++;
    result.sessionsFromRemote += pulled.sessionsFromRemote;
    result.conflicts.push(...pulled.conflicts);
    const tip = readRef(paths.commonDir, TRACKING_REF);
    result.tip = tip;
    const remoteTip = readRef(paths.commonDir, await remoteTrackingRef(paths, remote));
    if (pulled.outcome === "up-to-date" || pulled.outcome === "fast-forward" || pulled.outcome === "replayed" && remoteTip === tip) {
      writeSyncState(paths, { lastRemote: remote });
      return result;
    }
    if (pulled.outcome === "no-remote-branch" && !opts.forceFirst)
      await refuseFirstBranch(paths, remote, opts.prompt);
    const leaks = rescanOutgoing(paths, tip, remote);
    if (leaks.length)
      throw new SyncError(
        `push refused: what would be sent to ${remote} holds ${leaks.length === 1 ? "a secret" : `${leaks.length} secrets`}; nothing was sent.
${describeFindings(leaks)}
If one is a false positive, add a pattern for it to redaction.allow in .agent-tracking.yml; otherwise it must be removed from the branch's history before pushing.`
      );
    const r2 = await runGit(paths, ["push", "--porcelain", "--quiet", remote, `${tip}:${TRACKING_REF}`], {
      prompt: opts.prompt
    });
    if (r2.code === 0) {
      result.outcome = "pushed";
      const ref = await remoteTrackingRef(paths, remote);
      await runGit(paths, ["update-ref", ref, tip]);
      writeSyncState(paths, { lastRemote: remote });
      return result;
    }
    const said = r2.stdout + r2.stderr;
    const race = /fetch first|non-fast-forward|stale info|cannot lock ref|failed to update ref|incorrect old value|reference already exists/i.test(
      said
    );
    if (!race && /\[remote rejected\]|pre-receive hook declined|rule violations|protected branch|GH0\d\d/i.test(said))
      throw new SyncError(ruleRejection(remote, r2));
    if (!race) throw new SyncError(`could not push ${TRACKING_BRANCH} to ${remote}: ${gitMessage(r2)}`);
    if (result.attempts >= maxAttempts)
      throw new SyncError(
        `could not push ${TRACKING_BRANCH} to ${remote}: the remote kept moving (${result.attempts} attempts); nothing is lost, run \`agent-track push\` again`
      );
    const backoff = Math.min(2e3, 50 * 2 ** (result.attempts - 1));
    await sleep(backoff / 2 + Math.random() * backoff);
  }
}
var SyncError, gitMessage, isAncestor2, SESSION_DIR, DERIVED, TreeMerger, syncStateFile;
var init_sync = __esm({
  "src/store/sync.ts"() {
    "use strict";
    init_config();
    init_redact();
    init_session();
    init_compaction();
    init_flush();
    init_folders();
    init_fsutil();
    init_git();
    init_layout();
    init_lock();
    init_owner();
    init_paths();
    init_rescan();
    init_tree();
    SyncError = class extends Error {
    };
    gitMessage = (r2) => (r2.stderr || r2.stdout).split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("hint:")).join("; ").slice(0, 500);
    isAncestor2 = async (paths, a, b) => a === b || (await runGit(paths, ["merge-base", "--is-ancestor", a, b])).code === 0;
    SESSION_DIR = /^phases\/[^/]+\/sessions\/[^/]+$/;
    DERIVED = /^phases\/[^/]+\/review\.(json|md)$/;
    TreeMerger = class {
      /** `theirsWins`: folders (phases/<name>) whose version on their side is taken whole. */
      constructor(store, theirsWins = /* @__PURE__ */ new Set()) {
        this.store = store;
        this.theirsWins = theirsWins;
      }
      store;
      theirsWins;
      conflicts = [];
      /** Session folders of ours that a phase archived on their side replaced (a replay onto a compacted remote). */
      dropped = [];
      async entries(oid) {
        if (!oid) return /* @__PURE__ */ new Map();
        return new Map((await this.store.readTree(oid)).map((e) => [e.path, e]));
      }
      /** Merges three versions of one folder; returns the entries of the result (without the names in `skip`). */
      async mergeDir(dir, base, ours, theirs, skip = /* @__PURE__ */ new Set()) {
        const [b, o, t] = await Promise.all([this.entries(base), this.entries(ours), this.entries(theirs)]);
        const out2 = [];
        for (const name of /* @__PURE__ */ new Set([...o.keys(), ...t.keys()])) {
          if (skip.has(name)) continue;
          const be = b.get(name);
          const oe = o.get(name);
          const te = t.get(name);
          const full = dir ? `${dir}/${name}` : name;
          const same = (x, y) => x?.oid === y?.oid && x?.type === y?.type;
          if (this.theirsWins.has(full) && te) {
            if (oe?.type === "tree" && te.type === "tree" && oe.oid !== te.oid)
              this.dropped.push(...await this.sessionsOnlyIn(`${full}/sessions`, oe.oid, te.oid, be));
            out2.push(te);
            continue;
          }
          if (same(oe, te)) {
            if (oe) out2.push(oe);
            continue;
          }
          if (same(be, oe)) {
            if (te) out2.push(te);
            else if (oe && !be) out2.push(oe);
            continue;
          }
          if (same(be, te)) {
            if (oe) out2.push(oe);
            else if (te && !be) out2.push(te);
            continue;
          }
          if (!oe || !te) {
            out2.push(oe ?? te);
            continue;
          }
          if (oe.type === "tree" && te.type === "tree") {
            const baseOid = be?.type === "tree" ? be.oid : null;
            const merged = SESSION_DIR.test(full) ? await this.mergeSession(full, baseOid, oe.oid, te.oid) : await this.mergeDir(full, baseOid, oe.oid, te.oid);
            out2.push({ ...te, oid: await this.store.writeTree(merged) });
            continue;
          }
          if (full === "README.md" || DERIVED.test(full) || /\/session\.json$/.test(full)) {
            out2.push(te);
            continue;
          }
          if (/^phases\/[^/]+\/phase\.json$/.test(full)) {
            out2.push(await this.pickPhase(oe, te));
            continue;
          }
          this.conflicts.push(full);
          out2.push(te);
          if (oe.type === "blob") out2.push({ ...oe, path: `${name}.conflict-${oe.oid.slice(0, 8)}` });
        }
        return out2;
      }
      /** Session folders under `ours` that `theirs` (and the base) lack. */
      async sessionsOnlyIn(dir, ours, theirs, base) {
        const sessions = async (oid) => {
          const e = oid ? (await this.entries(oid)).get("sessions") : void 0;
          return e?.type === "tree" ? new Set((await this.store.readTree(e.oid)).map((x) => x.path)) : /* @__PURE__ */ new Set();
        };
        const [o, t, b] = await Promise.all([
          sessions(ours),
          sessions(theirs),
          sessions(base?.type === "tree" ? base.oid : void 0)
        ]);
        return [...o].filter((x) => !t.has(x) && !b.has(x)).map((x) => `${dir}/${x}`);
      }
      /** A session's events in segment order. */
      async sessionEvents(eventsTree) {
        if (eventsTree?.type !== "tree") return { lines: [], segments: [] };
        const segments = (await this.store.readTree(eventsTree.oid)).filter((e) => SEGMENT_RE.test(e.path)).sort((a, b) => a.path.localeCompare(b.path));
        const lines = [];
        for (const seg of segments)
          for (const line of (await this.store.readBlob(seg.oid)).split("\n")) if (line) lines.push(line);
        return { lines, segments };
      }
      /**
       * A session folder both sides wrote to (the same session flushed from two clones): theirs' segments
       * stay as they are, the events only we have (by id) follow in one new segment, and session.json is
       * folded again from all of them. The other files merge like any folder.
       */
      async mergeSession(dir, base, ours, theirs) {
        const skip = /* @__PURE__ */ new Set(["events", "session.json"]);
        const out2 = await this.mergeDir(dir, base, ours, theirs, skip);
        const [o, t] = await Promise.all([this.entries(ours), this.entries(theirs)]);
        const mine = await this.sessionEvents(o.get("events"));
        const their = await this.sessionEvents(t.get("events"));
        const idOf2 = (line) => JSON.parse(line).id;
        const known = new Set(their.lines.map(idOf2));
        const extra = mine.lines.filter((l) => {
          const id = idOf2(l);
          if (known.has(id)) return false;
          known.add(id);
          return true;
        });
        const segments = [...their.segments];
        if (extra.length) {
          let last = Number(segments.at(-1)?.path.slice(0, -6) ?? 0);
          for (const run of redactedLineRuns(redactForStore(`${extra.join("\n")}
`), BLOB_CAP_BYTES))
            segments.push({
              mode: "100644",
              path: segmentName(++last),
              oid: await this.store.writeBlob(run),
              type: "blob"
            });
        }
        const eventsDir = t.get("events") ?? o.get("events");
        const others = eventsDir?.type === "tree" ? (await this.store.readTree(eventsDir.oid)).filter((e) => !SEGMENT_RE.test(e.path)) : [];
        out2.push({
          mode: "040000",
          path: "events",
          type: "tree",
          oid: await this.store.writeTree([...segments, ...others])
        });
        const old = JSON.parse(
          await this.store.readBlob((t.get("session.json") ?? o.get("session.json")).oid)
        );
        const events = [...their.lines, ...extra].map((l) => JSON.parse(l));
        const summary = foldSummary(
          { ...emptySummary(old.session, old.phase, dir), author: old.author ?? null },
          events
        );
        out2.push({
          mode: "100644",
          path: "session.json",
          type: "blob",
          oid: await this.store.writeBlob(redactForStore(`${JSON.stringify(summary, null, 2)}
`))
        });
        return out2;
      }
      /** Two versions of phase.json: the one that records the phase's end. */
      async pickPhase(oe, te) {
        try {
          const ours = JSON.parse(await this.store.readBlob(oe.oid));
          const theirs = JSON.parse(await this.store.readBlob(te.oid));
          return ours.ended && !theirs.ended ? oe : te;
        } catch {
          return te;
        }
      }
    };
    syncStateFile = (paths) => path19.join(paths.trackingDir, "sync.json");
  }
});

// src/capture/claude-files.ts
function shHook(cli, flush) {
  const alternatives = (args) => cli.map((c) => `${c} ${args}`).join("||");
  const startFlush = `{ [ -n "$AGENT_TRACK_NO_FLUSH" ]||{ export AGENT_TRACK_BACKGROUND=1;${alternatives("flush --background")};} </dev/null >/dev/null 2>&1 & }`;
  const after = flush ? startFlush : `set -- "$r"/*.json;if [ $# -ge ${RAW_FLUSH_AFTER} ]&&{ :;} 2>/dev/null 3>"$g/agent-tracking/flush.want";then ${startFlush};fi`;
  return [
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    "umask 077;set -C;d=${CLAUDE_PROJECT_DIR:-$PWD}",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    'while [ ! -e "$d/.git" ];do case $d in */?*) d=${d%/*};;*) d=;break;;esac;done',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
    'g=$d/.git;if [ -f "$g" ];then read -r g <"$g";g=${g#gitdir: };case $g in /*);;*) g=$d/$g;;esac',
    'if [ -f "$g/commondir" ];then read -r c <"$g/commondir";case $c in /*) g=$c;;*) g=$g/$c;;esac;fi;fi',
    `r=$g/${RAW_DIR};o=;i=0;if [ -n "$d" ]&&[ -O "$r" ];then while [ $i -lt 4 ];do { o=1;printf '%s\\n' "$d" >&3;cat >&3||o=2;} 2>/dev/null 3>"$r/$$-$i.json";[ -n "$o" ]&&break;i=$((i+1));done;fi`,
    `case $o in 1) ${after};;2) rm -f "$r/$$-$i.json";;*) { ${alternatives("hook")};} 2>/dev/null;;esac;:`
  ].join(";");
}
function hookEntry(event, command) {
  const hook = { type: "command", command };
  if (!SYNC_EVENTS.has(event)) hook.async = true;
  hook.timeout = 30;
  return hook;
}
function commandFile(spec, cli, marker) {
  return [
    "---",
    `description: ${JSON.stringify(spec.description)}`,
    `allowed-tools: Bash(${cli}:*)`,
    ...spec.hint ? [`argument-hint: ${JSON.stringify(spec.hint)}`] : [],
    "---",
    ...marker ? [marker] : [],
    "",
    `!\`${cli} ${spec.run}\``,
    "",
    spec.ask,
    ""
  ].join("\n");
}
function hookCommandFor(event, node, cli) {
  return NODE_HOOK_EVENTS.has(event) ? node : shHook(cli, SH_FLUSH_EVENTS.has(event));
}
var HOOK_EVENTS, SYNC_EVENTS, NODE_HOOK_EVENTS, SH_FLUSH_EVENTS, RAW_FLUSH_AFTER, RAW_DIR, COMMAND_NAMESPACE, COMMANDS, COMMAND_MARKER;
var init_claude_files = __esm({
  "src/capture/claude-files.ts"() {
    "use strict";
    HOOK_EVENTS = [
      "SessionStart",
      "UserPromptSubmit",
      "PreToolUse",
      "PostToolUse",
      "PostToolUseFailure",
      "SubagentStart",
      "SubagentStop",
      "PreCompact",
      "PostCompact",
      "Notification",
      "Stop",
      "SessionEnd"
    ];
    SYNC_EVENTS = /* @__PURE__ */ new Set(["SessionStart", "Stop", "SessionEnd"]);
    NODE_HOOK_EVENTS = /* @__PURE__ */ new Set(["SessionStart", "SessionEnd"]);
    SH_FLUSH_EVENTS = /* @__PURE__ */ new Set(["SubagentStop", "Stop", "PreCompact"]);
    RAW_FLUSH_AFTER = 50;
    RAW_DIR = "agent-tracking/raw";
    COMMAND_NAMESPACE = "agent-track";
    COMMANDS = [
      {
        name: "handoff",
        description: "Hand over my previous session (agent-track): goal, state, errors, next step",
        hint: "[session id]",
        // a positional id: the CLI takes it as --session (and, inside a session, skips this very one)
        run: "resume $ARGUMENTS",
        ask: "Above is the handoff of a previous session. Read the files it names before changing them, then continue from its next step."
      },
      {
        name: "checkpoint",
        description: "Checkpoint this session (agent-track): git state, changed files, todos",
        hint: "[note]",
        run: 'checkpoint --note "$ARGUMENTS"',
        ask: "A snapshot of this session is now on the agent-tracking branch. Tell the user its id in one line and carry on."
      },
      {
        name: "sessions",
        description: "List the recorded agent sessions of this repository (agent-track)",
        hint: null,
        run: "sessions",
        ask: "Summarise this session history for the user: how many sessions, which crashed, the latest ones."
      },
      {
        name: "end-phase",
        description: "End the current phase and write its review (agent-track)",
        hint: "[next phase name]",
        run: "phase end $ARGUMENTS",
        ask: "The phase above is closed and its review written. Give the user the review in a few lines."
      }
    ];
    COMMAND_MARKER = "<!-- written by agent-track init -->";
  }
});

// package.json
var package_default;
var init_package = __esm({
  "package.json"() {
    package_default = {
      name: "subagent-tracking",
      version: "1.0.0",
      description: "Git for AI agents: records every Claude Code session of a repository onto an orphan git branch",
      type: "module",
      license: "MIT",
      repository: {
        type: "git",
        url: "git+https://github.com/subagent-tracking/subagent-tracking.git"
      },
      homepage: "https://github.com/subagent-tracking/subagent-tracking#readme",
      bugs: {
        url: "https://github.com/subagent-tracking/subagent-tracking/issues"
      },
      bin: {
        "agent-track": "dist/bin.cjs"
      },
      files: [
        "dist/bin.cjs",
        "dist/cli.js",
        "dist/import-worker.js",
        "dist/statusline.cjs",
        "plugin",
        "README.md"
      ],
      engines: {
        node: ">=22"
      },
      scripts: {
        build: "node scripts/build.mjs",
        typecheck: "tsc --noEmit",
        lint: "biome check .",
        format: "biome check --write .",
        test: "node scripts/build.mjs && jest",
        bench: "node scripts/build.mjs && node bench/run.mjs",
        "validate:redaction": "node scripts/build.mjs && node scripts/validate-redaction.mjs",
        demo: "node scripts/build.mjs && node scripts/demo.mjs",
        validate: "node scripts/build.mjs && node scripts/validate.mjs",
        prices: "node scripts/prices.mjs"
      },
      dependencies: {
        "@anthropic-ai/tokenizer": "^0.0.4",
        "@aws-sdk/client-s3": "3.1169.0",
        "@aws-sdk/lib-storage": "3.1169.0",
        "@duckdb/node-api": "1.5.6-r.1",
        "@googleapis/drive": "26.0.1",
        "@modelcontextprotocol/sdk": "^1.32.2",
        commander: "^14.0.3",
        echarts: "6.1.0",
        "isomorphic-git": "^1.44.17",
        "jsonc-parser": "^3.3.1",
        minisearch: "^7.2.0",
        yaml: "^2.9.1",
        zod: "^4.6.7"
      },
      devDependencies: {
        "@actions/core": "3.0.1",
        "@actions/github": "9.1.1",
        "@anthropic-ai/claude-code": "^2.1.197",
        "@biomejs/biome": "^2.6.8",
        "@google/gemini-cli": "^0.61.0",
        "@openai/codex": "^0.169.0",
        "@pydantic/genai-prices": "^0.1.8",
        "@swc/core": "^1.16.22",
        "@swc/jest": "^0.2.39",
        "@types/jest": "^30.0.0",
        "@types/node": "^20.19.43",
        ajv: "^8.20.0",
        "ajv-formats": "^3.0.1",
        ccusage: "20.0.24",
        esbuild: "^0.28.2",
        jest: "^30.5.2",
        "playwright-core": "1.65.1",
        s3rver: "3.7.1",
        typescript: "5.9"
      }
    };
  }
});

// src/store/github.ts
var github_exports = {};
__export(github_exports, {
  DISPATCH_EVENT: () => DISPATCH_EVENT,
  dispatchBranchMoved: () => dispatchBranchMoved,
  githubRepoOf: () => githubRepoOf,
  githubSlug: () => githubSlug,
  githubToken: () => githubToken,
  remoteUrl: () => remoteUrl
});
import { spawnSync as spawnSync3 } from "node:child_process";
function githubSlug(url) {
  const m = /^(?:git\+)?(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/(?:[^@/]+@)?|[^@/\s]+@)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(
    url.trim()
  );
  return m ? `${m[1]}/${m[2]}` : null;
}
function remoteUrl(paths, remote) {
  if (!/^[\w.-]+$/.test(remote)) return remote;
  const r2 = spawnSync3("git", ["config", "--get", `remote.${remote}.url`], {
    cwd: paths.workTree,
    encoding: "utf8"
  });
  return r2.status === 0 ? r2.stdout.trim() : null;
}
function githubRepoOf(paths, remote) {
  const forced = process.env.AGENT_TRACK_GITHUB_REPOSITORY;
  if (forced && /^[\w.-]+\/[\w.-]+$/.test(forced)) return forced;
  const url = remoteUrl(paths, remote);
  return url ? githubSlug(url) : null;
}
function githubToken() {
  for (const name of ["AGENT_TRACK_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"]) {
    const v2 = process.env[name]?.trim();
    if (v2) return { token: v2, from: name };
  }
  if (process.env.AGENT_TRACK_NO_GH === "1") return null;
  const gh = spawnSync3("gh", ["auth", "token"], { encoding: "utf8", timeout: 3e3 });
  const v = gh.status === 0 ? gh.stdout.trim() : "";
  return v ? { token: v, from: "gh auth token" } : null;
}
async function dispatchBranchMoved(paths, remote, tip) {
  const repo2 = githubRepoOf(paths, remote);
  if (!repo2) return { sent: false, repo: null, reason: `${remote} is not a GitHub repository` };
  const auth = githubToken();
  if (!auth)
    return {
      sent: false,
      repo: repo2,
      reason: "no GitHub token (GH_TOKEN, GITHUB_TOKEN or `gh auth login`): the daily run of the workflow reviews instead"
    };
  const api = (process.env.AGENT_TRACK_GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  try {
    const res = await fetch(`${api}/repos/${repo2}/dispatches`, {
      method: "POST",
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${auth.token}`,
        "content-type": "application/json",
        "user-agent": "agent-track",
        "x-github-api-version": "2022-11-28"
      },
      body: JSON.stringify({ event_type: DISPATCH_EVENT, client_payload: { tip } }),
      signal: AbortSignal.timeout(1e4)
    });
    if (res.status === 204 || res.ok) return { sent: true, repo: repo2, reason: null };
    const text2 = (await res.text().catch(() => "")).slice(0, 300);
    let message = text2;
    try {
      message = JSON.parse(text2).message ?? text2;
    } catch {
    }
    const advice = res.status === 403 || res.status === 404 ? ` (the token from ${auth.from} needs Contents: write on ${repo2})` : "";
    return { sent: false, repo: repo2, reason: `GitHub answered ${res.status}: ${message}${advice}` };
  } catch (e) {
    const err = e;
    return {
      sent: false,
      repo: repo2,
      reason: `could not reach ${api}: ${err.cause?.code ?? err.cause?.message ?? err.message}`
    };
  }
}
var DISPATCH_EVENT;
var init_github = __esm({
  "src/store/github.ts"() {
    "use strict";
    DISPATCH_EVENT = "agent-tracking";
  }
});

// src/capture/workflow.ts
import * as fs22 from "node:fs";
import * as path20 from "node:path";
function writeWorkflow(workTree) {
  const file = path20.join(workTree, WORKFLOW_FILE);
  if (fs22.existsSync(file)) return false;
  writeFileOwned(file, WORKFLOW_TEMPLATE);
  return true;
}
var WORKFLOW_FILE, ACTION_REPO, ACTION_MAJOR, ACTION_REF, WORKFLOW_TEMPLATE;
var init_workflow = __esm({
  "src/capture/workflow.ts"() {
    "use strict";
    init_package();
    init_github();
    init_owner();
    WORKFLOW_FILE = ".github/workflows/agent-tracking.yml";
    ACTION_REPO = (() => {
      const repo2 = package_default.repository;
      const url = typeof repo2 === "string" ? repo2 : repo2?.url ?? "";
      const slug = githubSlug(url.replace(/^github:/, "https://github.com/"));
      if (!slug) throw new Error(`package.json's repository is not a GitHub repository: '${url}'`);
      return slug;
    })();
    ACTION_MAJOR = `v${package_default.version.split(".")[0]}`;
    ACTION_REF = `${ACTION_REPO}@${ACTION_MAJOR}`;
    WORKFLOW_TEMPLATE = `# Written by \`agent-track init\` (subagent-tracking). Reviews ended phases, writes job summaries
# and keeps one comment on each pull request with what the agents did on its branch.
# The Action is github.com/${ACTION_REPO} (the repository field of subagent-tracking's
# package.json); to run a fork of it, point both \`uses: ${ACTION_REPO}@...\` lines at owner/fork@ref.
name: agent-tracking
on:
  schedule:
    - cron: "23 4 * * *"
  # sent by \`agent-track push\` when it has a GitHub token (GH_TOKEN, GITHUB_TOKEN or \`gh auth login\`):
  # a phase ended with \`phase end --no-review\` is reviewed at once, the pull requests' comments follow
  repository_dispatch:
    types: [${DISPATCH_EVENT}]
  workflow_dispatch:
  pull_request:
permissions: {}
jobs:
  review:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: write # commit reviews to the agent-tracking branch
      pull-requests: write # refresh the open pull requests' comments when the branch moved
    concurrency:
      group: agent-tracking-review
      cancel-in-progress: false
    steps:
      - uses: actions/checkout@v5 # keep its credentials (no persist-credentials: false): reviews are pushed with them
      - uses: actions/setup-node@v5 # npm installs DuckDB's native library when there is a phase to review
        with:
          node-version: 24
      # DuckDB (about 70 MB), installed only when a phase is reviewed, kept between runs
      - uses: actions/cache/restore@v4
        with:
          path: \${{ runner.tool_cache }}/agent-track-duckdb
          key: agent-track-duckdb-\${{ runner.os }}-\${{ runner.arch }}
          restore-keys: agent-track-duckdb-\${{ runner.os }}-\${{ runner.arch }}-
      - id: agent-tracking
        uses: ${ACTION_REF}
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          phase-policy: manual # or weekly / monthly: end the open phase when its week or month is over
      - if: steps.agent-tracking.outputs.duckdb-cache-key != ''
        uses: actions/cache/save@v4
        with:
          path: \${{ runner.tool_cache }}/agent-track-duckdb
          key: \${{ steps.agent-tracking.outputs.duckdb-cache-key }}
  pull-request:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write # the one sticky comment
    concurrency:
      group: agent-tracking-pr-\${{ github.event.pull_request.number }}
      cancel-in-progress: true
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0 # the pull request's commits: the share of its lines agents wrote
      - uses: actions/setup-node@v5
        with:
          node-version: 24
      - uses: ${ACTION_REF}
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          comment: "on"
`;
  }
});

// src/capture/install.ts
import * as fs23 from "node:fs";
import * as path21 from "node:path";
function mergeHooks(settings, command, statusLine) {
  const before = canonical(settings);
  const commandOf = typeof command === "string" ? () => command : command;
  const out2 = removeHooks(
    settings,
    typeof command === "string" ? command : HOOK_EVENTS.map((e) => commandOf(e))
  ).settings;
  const statusLineKept = out2.statusLine !== void 0;
  if (statusLine && !statusLineKept)
    out2.statusLine = {
      type: "command",
      command: statusLine,
      padding: 0,
      refreshInterval: STATUSLINE_REFRESH_S
    };
  out2.hooks = typeof out2.hooks === "object" && out2.hooks && !Array.isArray(out2.hooks) ? out2.hooks : {};
  for (const event of HOOK_EVENTS) {
    const hook = hookEntry(event, commandOf(event));
    const groups = Array.isArray(out2.hooks[event]) ? out2.hooks[event] : [];
    out2.hooks[event] = [...groups, { hooks: [hook] }];
  }
  return {
    settings: out2,
    changed: canonical(out2) !== before,
    statusLineKept: !!statusLine && statusLineKept
  };
}
function removeHooks(settings, current) {
  const out2 = structuredClone(settings ?? {});
  let removed = 0;
  if (isOurStatusLine(out2.statusLine)) {
    delete out2.statusLine;
    removed++;
  }
  if (!out2.hooks || typeof out2.hooks !== "object") return { settings: out2, removed };
  for (const event of Object.keys(out2.hooks)) {
    const groups = out2.hooks[event];
    if (!Array.isArray(groups)) continue;
    const kept = [];
    for (const g of groups) {
      if (!g || !Array.isArray(g.hooks)) {
        kept.push(g);
        continue;
      }
      const hooks = g.hooks.filter((h) => {
        const ours = isOurs3(h?.command, current);
        if (ours) removed++;
        return !ours;
      });
      if (hooks.length) kept.push({ ...g, hooks });
    }
    if (kept.length) out2.hooks[event] = kept;
    else delete out2.hooks[event];
  }
  if (Object.keys(out2.hooks).length === 0) delete out2.hooks;
  return { settings: out2, removed };
}
function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path21.delimiter)) {
    if (!dir) continue;
    const f = real(path21.join(dir, name));
    if (f) return f;
  }
  return null;
}
function installKind(binPath, workTree) {
  const bin = real(binPath) ?? binPath;
  if (binPath.startsWith(path21.join(workTree, "node_modules") + path21.sep)) return "local";
  if (real(path21.join(workTree, PKG_BIN)) === bin) return "local";
  if (onPath("agent-track") === bin) return "global";
  return "other";
}
function hookCommands(binPath, workTree, platform = process.platform) {
  const node = hookCommand(binPath, workTree);
  if (platform === "win32") return () => node;
  const cli = installKind(binPath, workTree) === "other" ? [`node ${JSON.stringify(binPath)}`] : PORTABLE_CLI;
  return (event) => hookCommandFor(event, node, cli);
}
function statusLineCommand(binPath, workTree) {
  return installKind(binPath, workTree) === "other" ? `node ${JSON.stringify(path21.join(path21.dirname(binPath), "statusline.cjs"))} 2>/dev/null || true` : PORTABLE_STATUSLINE;
}
function hookCommand(binPath, workTree) {
  return installKind(binPath, workTree) === "other" ? `node ${JSON.stringify(binPath)} hook 2>/dev/null || true` : PORTABLE_HOOK;
}
function settingsFileFor(binPath, workTree) {
  return path21.join(
    workTree,
    ".claude",
    installKind(binPath, workTree) === "other" ? "settings.local.json" : "settings.json"
  );
}
function cliInvocation(binPath, workTree, where = "project") {
  const kind = installKind(binPath, workTree);
  if (kind === "global") return "agent-track";
  if (kind === "local" && where === "project") return `node ${PKG_BIN}`;
  return `node ${JSON.stringify(binPath)}`;
}
function slashCommands(cli) {
  return Object.fromEntries(COMMANDS.map((c) => [`${c.name}.md`, commandFile(c, cli, COMMAND_MARKER)]));
}
function planCommands(workTree, cli) {
  const write2 = [];
  const kept = [];
  const same = [];
  for (const [name, content] of Object.entries(slashCommands(cli))) {
    const existing = readText(path21.join(commandsDir(workTree), name));
    if (existing !== null && !existing.includes(COMMAND_MARKER)) kept.push(name);
    else if (existing === content) same.push(name);
    else write2.push(name);
  }
  return { write: write2, kept, same };
}
function oldCommands(workTree) {
  return OLD_COMMANDS.filter(
    (n2) => readText(path21.join(workTree, ".claude", "commands", n2))?.includes(COMMAND_MARKER)
  );
}
function removeCommands(workTree) {
  let removed = 0;
  for (const name of Object.keys(slashCommands(""))) {
    const file = path21.join(commandsDir(workTree), name);
    if (readText(file)?.includes(COMMAND_MARKER)) {
      fs23.rmSync(file);
      removed++;
    }
  }
  for (const name of oldCommands(workTree)) {
    fs23.rmSync(path21.join(workTree, ".claude", "commands", name));
    removed++;
  }
  return removed;
}
function readJson2(file) {
  const text2 = readText(file);
  if (text2 === null || !text2.trim()) return {};
  try {
    const v = JSON.parse(text2);
    if (v && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
  }
  throw new Error(`${file} is not a JSON object; fix or remove it, then run init again`);
}
function indentOf(text2) {
  const m = text2 ? /^[{[]\s*\n([ \t]+)\S/.exec(text2) : null;
  return m ? m[1] : 2;
}
function writeJson(file, value, like) {
  let mode;
  try {
    mode = fs23.statSync(file).mode & 4095;
  } catch {
    mode = void 0;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  const eol = like === null || like.endsWith("\n") ? "\n" : "";
  writeFileOwned(tmp, `${JSON.stringify(value, null, indentOf(like))}${eol}`, mode);
  if (mode !== void 0) fs23.chmodSync(tmp, mode);
  fs23.renameSync(tmp, file);
}
function readRecord(paths) {
  try {
    const r2 = JSON.parse(fs23.readFileSync(recordFile(paths), "utf8"));
    return { before: r2.before ?? {}, dirs: r2.dirs ?? [] };
  } catch {
    return { before: {}, dirs: [] };
  }
}
function saveRecord(paths, r2) {
  writeFileOwned(recordFile(paths), JSON.stringify(r2));
}
function missingDirs(paths, dir) {
  const out2 = [];
  for (let d = dir; d.startsWith(paths.workTree + path21.sep) && !fs23.existsSync(d); d = path21.dirname(d))
    out2.push(rel(paths, d));
  return out2;
}
function planInit(paths, binPath, opts = {}) {
  const files = [];
  if (!opts.plugin) {
    const settingsFile = settingsFileFor(binPath, paths.workTree);
    const { changed, statusLineKept } = mergeHooks(
      readJson2(settingsFile),
      hookCommands(binPath, paths.workTree),
      statusLineCommand(binPath, paths.workTree)
    );
    files.push({
      file: rel(paths, settingsFile),
      what: `hooks for ${HOOK_EVENTS.length} Claude Code events (${HOOK_EVENTS.join(", ")})${settingsFile.endsWith("local.json") ? "; personal: this binary is neither the project\u2019s nor global" : ""}`,
      action: !changed ? "unchanged" : fs23.existsSync(settingsFile) ? "update" : "create"
    });
    files.push({
      file: rel(paths, settingsFile),
      what: statusLineKept ? "statusLine: yours is kept (`agent-track statusline` shows cost, subagents, failures; see README)" : "statusLine: agent-track's (this session's cost, tokens, subagents, failed calls, budget warnings)",
      action: statusLineKept ? "kept" : !changed ? "unchanged" : fs23.existsSync(settingsFile) ? "update" : "create"
    });
    const cmds = planCommands(paths.workTree, cliInvocation(binPath, paths.workTree));
    const dir = rel(paths, commandsDir(paths.workTree));
    for (const n2 of [...cmds.write, ...cmds.same])
      files.push({
        file: `${dir}/${n2}`,
        what: `slash command /${COMMAND_NAMESPACE}:${n2.slice(0, -3)}`,
        action: cmds.same.includes(n2) ? "unchanged" : fs23.existsSync(path21.join(commandsDir(paths.workTree), n2)) ? "update" : "create"
      });
    for (const n2 of cmds.kept)
      files.push({
        file: `${dir}/${n2}`,
        what: "your own file of that name (ours is not installed)",
        action: "kept"
      });
    for (const n2 of oldCommands(paths.workTree))
      files.push({
        file: `.claude/commands/${n2}`,
        what: `an earlier release's /${n2.slice(0, -3)}, removed (it shadowed Claude Code's commands)`,
        action: "update"
      });
  }
  files.push({
    file: WORKFLOW_FILE,
    what: "GitHub workflow: the Action daily (cron), when a push of the branch sends repository_dispatch, and on every pull request",
    action: fs23.existsSync(path21.join(paths.workTree, WORKFLOW_FILE)) ? "kept" : "create"
  });
  files.push({
    file: CONFIG_FILE,
    what: "configuration (phase, budgets, redaction, sync)",
    action: fs23.existsSync(path21.join(paths.workTree, CONFIG_FILE)) ? "kept" : "create"
  });
  return files;
}
async function initRepository(paths, binPath, opts = {}) {
  assertWritableFormat(paths.commonDir);
  adoptOwnership(paths.commonDir, paths.workTree);
  const files = planInit(paths, binPath, opts);
  const settingsFile = settingsFileFor(binPath, paths.workTree);
  const command = hookCommand(binPath, paths.workTree);
  const settingsText = readText(settingsFile);
  const { settings, changed } = opts.plugin ? { settings: {}, changed: false } : mergeHooks(
    readJson2(settingsFile),
    hookCommands(binPath, paths.workTree),
    statusLineCommand(binPath, paths.workTree)
  );
  let adoptedFrom = null;
  let remoteWarning = null;
  if (!readRef(paths.commonDir, TRACKING_REF)) {
    const { remote } = (await loadConfig(paths)).tracking;
    if (await remoteConfigured(paths, remote)) {
      try {
        if ((await pullBranch(paths, remote)).outcome === "adopted") adoptedFrom = remote;
      } catch (e) {
        remoteWarning = e.message;
      }
    }
  }
  const { tip, created } = await ensureBranch(paths);
  const record = readRecord(paths);
  const remember = (file, text2) => {
    const key = rel(paths, file);
    if (!(key in record.before)) record.before[key] = text2;
  };
  const dirs = (d) => {
    for (const x of missingDirs(paths, d)) if (!record.dirs.includes(x)) record.dirs.push(x);
  };
  if (changed) {
    remember(settingsFile, settingsText);
    dirs(path21.dirname(settingsFile));
    saveRecord(paths, record);
    writeJson(settingsFile, settings, settingsText);
  }
  const configFile = path21.join(paths.workTree, CONFIG_FILE);
  const configWritten = !fs23.existsSync(configFile);
  if (configWritten) writeFileOwned(configFile, CONFIG_TEMPLATE);
  mkdirOwned(paths.spoolDir);
  ensureRawDir(paths);
  let commandsWritten = [];
  let commandsKept = [];
  let commandsMigrated = [];
  if (!opts.plugin) {
    const cmds = planCommands(paths.workTree, cliInvocation(binPath, paths.workTree));
    if (cmds.write.length) {
      dirs(commandsDir(paths.workTree));
      saveRecord(paths, record);
    }
    const content = slashCommands(cliInvocation(binPath, paths.workTree));
    for (const n2 of cmds.write) {
      writeFileOwned(path21.join(commandsDir(paths.workTree), n2), content[n2]);
    }
    commandsMigrated = oldCommands(paths.workTree);
    for (const n2 of commandsMigrated) fs23.rmSync(path21.join(paths.workTree, ".claude", "commands", n2));
    commandsWritten = cmds.write;
    commandsKept = cmds.kept;
  }
  const workflowDirs = missingDirs(paths, path21.dirname(path21.join(paths.workTree, WORKFLOW_FILE)));
  const workflowWritten = writeWorkflow(paths.workTree);
  if (workflowWritten) {
    for (const x of workflowDirs) if (!record.dirs.includes(x)) record.dirs.push(x);
    saveRecord(paths, record);
  }
  return {
    branchCreated: created,
    tip,
    settingsFile,
    settingsChanged: changed,
    configWritten,
    command,
    commandsWritten,
    commandsKept,
    commandsMigrated,
    adoptedFrom,
    remoteWarning,
    workflowWritten,
    plugin: !!opts.plugin,
    files
  };
}
async function remoteConfigured(paths, remote) {
  return await isRemoteName(paths, remote) || /[/:]/.test(remote);
}
function uninstallHooks(paths, binPath, opts = {}) {
  adoptOwnership(paths.commonDir, paths.workTree);
  const record = readRecord(paths);
  const restored = [];
  let removed = 0;
  const targets = [
    .../* @__PURE__ */ new Set([
      settingsFileFor(binPath, paths.workTree),
      path21.join(paths.workTree, ".claude", "settings.json"),
      path21.join(paths.workTree, ".claude", "settings.local.json")
    ])
  ];
  for (const file of targets) {
    const text2 = readText(file);
    if (text2 === null) continue;
    const r2 = removeHooks(readJson2(file), hookCommand(binPath, paths.workTree));
    if (!r2.removed) continue;
    removed += r2.removed;
    const key = rel(paths, file);
    const before = key in record.before ? record.before[key] : void 0;
    if (before === null && Object.keys(r2.settings).length === 0) {
      fs23.rmSync(file);
      restored.push(key);
    } else if (typeof before === "string" && safeCanonical(before) === canonical(r2.settings)) {
      writeFileOwned(file, before);
      restored.push(key);
    } else writeJson(file, r2.settings, text2);
  }
  const commandsRemoved = removeCommands(paths.workTree);
  const shared = (file, template) => {
    const text2 = readText(path21.join(paths.workTree, file));
    if (text2 === null) return "absent";
    if (text2 !== template) return "edited";
    if (!opts.removeShared) return "kept";
    fs23.rmSync(path21.join(paths.workTree, file));
    return "removed";
  };
  const workflow = shared(WORKFLOW_FILE, WORKFLOW_TEMPLATE);
  const config = shared(CONFIG_FILE, CONFIG_TEMPLATE);
  for (const d of [...record.dirs].sort((a, b) => b.length - a.length)) {
    try {
      fs23.rmdirSync(path21.join(paths.workTree, d));
    } catch {
    }
  }
  const left = record.dirs.filter((d) => fs23.existsSync(path21.join(paths.workTree, d)));
  if (left.length) saveRecord(paths, { before: {}, dirs: left });
  else fs23.rmSync(recordFile(paths), { force: true });
  return {
    settingsFile: targets[0],
    removed,
    commandsRemoved,
    restored,
    workflow,
    config
  };
}
function safeCanonical(text2) {
  try {
    return canonical(JSON.parse(text2));
  } catch {
    return null;
  }
}
var isOurs3, canonical, isOurStatusLine, STATUSLINE_REFRESH_S, PKG_BIN, real, PORTABLE_HOOK, PORTABLE_CLI, PORTABLE_STATUSLINE, OLD_COMMANDS, commandsDir, readText, recordFile, rel;
var init_install = __esm({
  "src/capture/install.ts"() {
    "use strict";
    init_config();
    init_config2();
    init_init();
    init_owner();
    init_paths();
    init_sync();
    init_claude_files();
    init_raw();
    init_workflow();
    init_claude_files();
    isOurs3 = (command, current) => typeof command === "string" && (command === current || Array.isArray(current) && current.includes(command) || /(agent-track|subagent-tracking)/.test(command) && (/(^| )hook( |$)/.test(command) || command.includes(`/${RAW_DIR}`)));
    canonical = (v) => JSON.stringify(
      v,
      (_k, x) => x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x
    );
    isOurStatusLine = (v) => !!v && typeof v === "object" && typeof v.command === "string" && /statusline/.test(v.command) && /(agent-track|subagent-tracking|dist\/(bin|statusline)\.cjs)/.test(v.command);
    STATUSLINE_REFRESH_S = 5;
    PKG_BIN = "node_modules/subagent-tracking/dist/bin.cjs";
    real = (f) => {
      try {
        return fs23.realpathSync(f);
      } catch {
        return null;
      }
    };
    PORTABLE_HOOK = [
      `node "$CLAUDE_PROJECT_DIR/${PKG_BIN}" hook 2>/dev/null`,
      `node "$(git -C "$CLAUDE_PROJECT_DIR" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)/../${PKG_BIN}" hook 2>/dev/null`,
      "agent-track hook 2>/dev/null",
      "true"
    ].join(" || ");
    PORTABLE_CLI = [
      `node "$CLAUDE_PROJECT_DIR/${PKG_BIN}"`,
      `node "$g/../${PKG_BIN}"`,
      "agent-track"
    ];
    PORTABLE_STATUSLINE = [
      // its own small bundle, started directly: the status line runs every few hundred milliseconds
      `node "\${CLAUDE_PROJECT_DIR:-$(git rev-parse --show-toplevel 2>/dev/null)}/${PKG_BIN.replace("bin.cjs", "statusline.cjs")}" 2>/dev/null`,
      "agent-track statusline 2>/dev/null",
      "true"
    ].join(" || ");
    OLD_COMMANDS = ["checkpoint.md", "resume.md", "history.md", "end-phase.md"];
    commandsDir = (workTree) => path21.join(workTree, ".claude", "commands", COMMAND_NAMESPACE);
    readText = (file) => {
      try {
        return fs23.readFileSync(file, "utf8");
      } catch {
        return null;
      }
    };
    recordFile = (paths) => path21.join(paths.trackingDir, "install.json");
    rel = (paths, f) => path21.relative(paths.workTree, f).split(path21.sep).join("/");
  }
});

// src/mcp/register.ts
import * as fs24 from "node:fs";
import * as path22 from "node:path";
import {
  findNodeAtLocation,
  parse,
  parseTree,
  printParseErrorCode
} from "jsonc-parser";
function mcpServerEntry(binPath, workTree) {
  const kind = installKind(binPath, workTree);
  if (kind === "global") return { type: "stdio", command: "agent-track", args: ["mcp"] };
  const target2 = kind === "local" ? `\${CLAUDE_PROJECT_DIR:-.}/${PKG_BIN}` : binPath;
  return { type: "stdio", command: "node", args: [target2, "mcp"] };
}
function isOurEntry(v) {
  if (!v || typeof v !== "object") return false;
  const e = v;
  if (e.command !== "node" || !Array.isArray(e.args) || e.args.length !== 2 || e.args[1] !== "mcp")
    return false;
  return typeof e.args[0] === "string" && /(agent-track|subagent-tracking|bin\.cjs$)/.test(e.args[0]);
}
function appendProperty(text2, obj, key, value) {
  const close = obj.offset + obj.length - 1;
  const props = obj.children ?? [];
  const last = props.at(-1);
  const outer = indentAt(text2, close);
  const inner = last ? indentAt(text2, last.offset) : `${outer}  `;
  const unit = inner.length > outer.length ? inner.slice(outer.length) : "  ";
  const body = JSON.stringify(value, null, unit).replace(/\n/g, `
${inner}`);
  const prop = `${JSON.stringify(key)}: ${body}`;
  if (last) {
    const end = last.offset + last.length;
    return `${text2.slice(0, end)},
${inner}${prop}${text2.slice(end)}`;
  }
  const open = obj.offset + 1;
  return `${text2.slice(0, open)}
${inner}${prop}
${outer}${text2.slice(close)}`;
}
function removeProperty(text2, obj, key) {
  const props = obj.children ?? [];
  const i = props.findIndex((p) => p.children?.[0]?.value === key);
  if (i < 0) return text2;
  const prop = props[i];
  if (props.length === 1) {
    const open = obj.offset + 1;
    const close = obj.offset + obj.length - 1;
    return `${text2.slice(0, open)}${text2.slice(close)}`;
  }
  if (i === props.length - 1) {
    const prevEnd = props[i - 1].offset + props[i - 1].length;
    return text2.slice(0, prevEnd) + text2.slice(prop.offset + prop.length);
  }
  return text2.slice(0, prop.offset) + text2.slice(props[i + 1].offset);
}
function parseFile(file, text2) {
  if (!text2.trim()) return {};
  const errors = [];
  const v = parse(text2, errors, { allowTrailingComma: true });
  if (errors.length || text2.trim() && (!v || typeof v !== "object" || Array.isArray(v)))
    throw new Error(
      `${file} is not a JSON object (${errors.length ? printParseErrorCode(errors[0].error) : "not an object"}); fix or remove it, then run init again`
    );
  return v ?? {};
}
function registerMcpServer(workTree, entry) {
  const file = path22.join(workTree, MCP_FILE);
  let text2 = "";
  try {
    text2 = fs24.readFileSync(file, "utf8");
  } catch {
    text2 = "";
  }
  const json = parseFile(file, text2);
  const servers = json.mcpServers;
  const existing = servers && typeof servers === "object" ? servers[MCP_SERVER_NAME] : void 0;
  if (existing !== void 0 && !isOurEntry(existing)) return { file, outcome: "kept" };
  if (existing !== void 0 && JSON.stringify(existing) === JSON.stringify(entry))
    return { file, outcome: "unchanged" };
  let out2;
  if (!text2.trim()) out2 = `${JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: entry } }, null, 2)}
`;
  else {
    const root = parseTree(text2, [], { allowTrailingComma: true });
    let list = findNodeAtLocation(root, ["mcpServers"]);
    if (list && list.type !== "object")
      throw new Error(`${file}: "mcpServers" is not an object; fix it, then run init again`);
    if (existing !== void 0 && list) {
      text2 = removeProperty(text2, list, MCP_SERVER_NAME);
      list = findNodeAtLocation(parseTree(text2, [], { allowTrailingComma: true }), ["mcpServers"]);
    }
    const top = parseTree(text2, [], { allowTrailingComma: true });
    out2 = list ? appendProperty(text2, list, MCP_SERVER_NAME, entry) : appendProperty(text2, top, "mcpServers", { [MCP_SERVER_NAME]: entry });
  }
  write(file, out2);
  return { file, outcome: "written" };
}
function unregisterMcpServer(workTree) {
  const file = path22.join(workTree, MCP_FILE);
  let text2;
  try {
    text2 = fs24.readFileSync(file, "utf8");
  } catch {
    return { file, removed: false };
  }
  const json = parseFile(file, text2);
  const servers = json.mcpServers;
  if (!servers || typeof servers !== "object" || !isOurEntry(servers[MCP_SERVER_NAME]))
    return { file, removed: false };
  const list = findNodeAtLocation(parseTree(text2, [], { allowTrailingComma: true }), [
    "mcpServers"
  ]);
  const out2 = removeProperty(text2, list, MCP_SERVER_NAME);
  const left = parse(out2, [], { allowTrailingComma: true });
  const onlyEmpty = Object.keys(left).length === 1 && left.mcpServers && typeof left.mcpServers === "object" && Object.keys(left.mcpServers).length === 0;
  if (onlyEmpty) fs24.rmSync(file);
  else write(file, out2);
  return { file, removed: true };
}
function write(file, text2) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileOwned(tmp, text2);
  fs24.renameSync(tmp, file);
}
var MCP_SERVER_NAME, MCP_FILE, indentAt, MCP_CLAUDE_MD_SNIPPET;
var init_register = __esm({
  "src/mcp/register.ts"() {
    "use strict";
    init_install();
    init_owner();
    MCP_SERVER_NAME = "agent-track";
    MCP_FILE = ".mcp.json";
    indentAt = (text2, offset) => {
      const start = text2.lastIndexOf("\n", offset - 1) + 1;
      return /^[ \t]*/.exec(text2.slice(start))?.[0] ?? "";
    };
    MCP_CLAUDE_MD_SNIPPET = `## Agent history (agent-track MCP server)

This repository records every agent session on its \`agent-tracking\` branch. Ask it before you act:

- Before retrying a failing command, call \`similar_errors\` with the error message: it shows earlier
  errors of the same pattern, what was done next and whether it worked.
- Before a design decision, call \`search_history\` (what was tried, decided or rejected before) and
  \`why\` with the file (which sessions changed it, and the decision behind each change).
- When resuming work, call \`handoff\` (the previous session's state and next step); \`session_cost\`
  gives this session's tokens and cost so far.`;
  }
});

// src/model/causes.ts
function maskLine(s2) {
  return s2.replace(/(?<=^|[\s'"`(=:,[])(~|\.{1,2})?(\/[^\s:'"`()[\]{},]+)+/g, "{path}").replace(/\b[0-9a-f]{7,}\b/gi, (m) => /\d/.test(m) ? "{id}" : m).replace(/(?<![A-Za-z_\d.])\d+(\.\d+)*/g, "{n}").replace(/\s+/g, " ").trim().slice(0, 200);
}
function programOf(command) {
  const segments = command.replace(/\\\n/g, " ").split(/\n|&&|\|\||;|\|/).map((x) => x.trim()).filter(Boolean);
  for (const seg of segments) {
    let words = seg.replace(/^[({]\s*/, "").replace(/\s*[)}]+$/, "").split(/\s+/).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    while (words.length && WRAPPERS.has(words[0])) {
      words = words.slice(1);
      while (words.length && /^(-|\d)/.test(words[0])) words = words.slice(1);
    }
    if (!words.length) continue;
    const first = words[0].replace(/^.*\//, "");
    if (first === "cd" || first === "export" || first === "source" || first === "." || first === "set")
      continue;
    const two = `${first} ${words[1] ?? ""}`;
    const skip = PASS_THROUGH.has(two) ? 2 : PASS_THROUGH.has(first) ? 1 : 0;
    if (skip) {
      const rest = words.slice(skip);
      while (rest.length && rest[0].startsWith("-")) rest.shift();
      const inner = rest.length ? programOf(rest.join(" ")) : null;
      if (inner) return inner;
    }
    const n2 = RUNNERS[first] ?? 1;
    const named = [first, ...words.slice(1, n2).filter((w) => !/^-/.test(w) && !/[/"'$=]/.test(w))];
    if ((first === "npm" || first === "pnpm" || first === "yarn" || first === "bun") && named[1] === "run" && words[2])
      named.push(words[2]);
    return named.join(" ").slice(0, 60);
  }
  return null;
}
function causeLine(text2) {
  const clean2 = text2.replace(ANSI, "").replace(/<\/?tool_use_error>/g, "").replace(/\r/g, "");
  const lines = clean2.split("\n").map((l) => l.replace(/\s+$/, ""));
  for (const r2 of RULES) {
    const line = r2.find(lines, clean2);
    if (line) return { kind: r2.kind, line: line.trim() };
  }
  const meaningful = lines.filter((l) => !NOISE.some((re) => re.test(l)));
  const signal = meaningful.find((l) => SIGNAL.test(l));
  return { kind: "other", line: (signal ?? meaningful[0] ?? lines.find((l) => l.trim()) ?? "").trim() };
}
var ANSI, WRAPPERS, RUNNERS, PASS_THROUGH, firstMatch, lastMatch, RULES, NOISE, SIGNAL;
var init_causes = __esm({
  "src/model/causes.ts"() {
    "use strict";
    ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
    WRAPPERS = /* @__PURE__ */ new Set(["sudo", "time", "env", "exec", "nohup", "command", "timeout", "xargs"]);
    RUNNERS = {
      // program -> how many words name the program (`npm run build`, `go test`, `cargo test`)
      npm: 2,
      pnpm: 2,
      yarn: 2,
      bun: 2,
      go: 2,
      cargo: 2,
      git: 2,
      gh: 3,
      docker: 2,
      make: 2,
      uv: 2,
      poetry: 2,
      task: 2,
      dotnet: 2,
      mvn: 2,
      gradle: 2,
      deno: 2,
      kubectl: 2,
      mise: 3,
      just: 2,
      rake: 2
    };
    PASS_THROUGH = /* @__PURE__ */ new Set([
      "npx",
      "bunx",
      "pnpx",
      "uvx",
      "uv run",
      "poetry run",
      "pnpm exec",
      "pnpm dlx",
      "yarn exec",
      "yarn dlx",
      "bundle exec",
      "python -m",
      "python3 -m"
    ]);
    firstMatch = (lines, re, f) => {
      for (const l of lines) {
        const m = l.match(re);
        if (m) return f(m);
      }
      return null;
    };
    lastMatch = (lines, re, f) => {
      for (let i = lines.length - 1; i >= 0; i--) {
        const m = lines[i].match(re);
        if (m) return f(m);
      }
      return null;
    };
    RULES = [
      // pytest: `FAILED tests/test_x.py::test_y - AssertionError: assert 1 == 2` (short test summary)
      {
        kind: "test",
        find: (lines) => (
          // the node id without its folder: the same test run from another directory is the same test
          firstMatch(
            lines,
            /^FAILED (\S+::\S+)(?: - (.*))?$/,
            (m) => `FAILED ${m[1].replace(/^[^:]*\//, "")}${m[2] ? ` - ${m[2]}` : ""}`
          ) ?? firstMatch(lines, /^_{3,} (test\S*) _{3,}$/, (m) => `FAILED ${m[1]}`)
        )
      },
      // jest / vitest: `● Suite › test name` / ` FAIL  src/x.test.ts > suite > test`
      {
        kind: "test",
        find: (lines) => firstMatch(lines, /^\s*● (.+ › .+)$/, (m) => `failed: ${m[1].trim()}`) ?? firstMatch(
          lines,
          /^\s*(?:×|✗|FAIL)\s+(\S+\.(?:test|spec)\.[cm]?[jt]sx?\s+>\s+.+)$/,
          (m) => `failed: ${m[1].trim()}`
        )
      },
      // go test: `--- FAIL: TestName (0.00s)`
      { kind: "test", find: (lines) => firstMatch(lines, /^\s*--- FAIL: (\S+)/, (m) => `--- FAIL: ${m[1]}`) },
      // cargo test: `test module::name ... FAILED`
      {
        kind: "test",
        find: (lines) => firstMatch(lines, /^test (\S+) \.\.\. FAILED$/, (m) => `test ${m[1]} FAILED`)
      },
      // rustc: `error[E0308]: mismatched types`
      {
        kind: "compile",
        find: (lines) => firstMatch(lines, /^error\[(E\d{4})\]: (.*)$/, (m) => `error[${m[1]}]: ${m[2]}`)
      },
      // tsc: `src/a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.`
      {
        kind: "compile",
        find: (lines) => firstMatch(lines, /\berror (TS\d+): (.*)$/, (m) => `${m[1]}: ${m[2]}`)
      },
      // eslint (stylish): `  12:5  error  'x' is not defined  no-undef`
      {
        kind: "lint",
        find: (lines) => firstMatch(lines, /^\s*\d+:\d+\s+error\s+(.+?)\s{2,}(@?[\w/-]+)$/, (m) => `eslint ${m[2]}: ${m[1]}`)
      },
      // pyright: `  /a.py:3:5 - error: Type of "x" is unknown (reportUnknownVariableType)`
      {
        kind: "lint",
        find: (lines) => firstMatch(lines, /\s-\s+error: (.*?)\s*\((report\w+)\)\s*$/, (m) => `${m[2]}: ${m[1]}`)
      },
      // ruff / flake8: `a.py:3:5: F401 [*] 'os' imported but unused`
      {
        kind: "lint",
        find: (lines) => firstMatch(lines, /^\S+:\d+:\d+: ([A-Z]{1,4}\d{2,4}) (?:\[\*\] )?(.*)$/, (m) => `${m[1]}: ${m[2]}`)
      },
      // golangci-lint: `a.go:3:5: Error return value is not checked (errcheck)`
      {
        kind: "lint",
        find: (lines) => firstMatch(lines, /^\S+\.go:\d+(?::\d+)?: (.*?) \((\w+)\)$/, (m) => `${m[2]}: ${m[1]}`)
      },
      // go build / vet: `./a.go:3:5: undefined: x`
      { kind: "compile", find: (lines) => firstMatch(lines, /^\S+\.go:\d+(?::\d+)?: (.*)$/, (m) => m[1]) },
      // npm: `npm ERR! code E404` / `npm error Missing script: "x"`
      {
        kind: "tool",
        find: (lines) => firstMatch(lines, /^npm (?:ERR!|error) (Missing script: .*)$/i, (m) => `npm ${m[1]}`) ?? firstMatch(lines, /^npm (?:ERR!|error) code (\S+)/, (m) => `npm code ${m[1]}`)
      },
      // Python: the exception line ends the traceback
      {
        kind: "exception",
        find: (lines, text2) => /Traceback \(most recent call last\)/.test(text2) ? lastMatch(
          lines,
          /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning))(?:: (.*))?$/,
          (m) => m[2] ? `${m[1]}: ${m[2]}` : m[1]
        ) : null
      },
      // pytest's assertion line: `E   AssertionError: …`
      { kind: "test", find: (lines) => firstMatch(lines, /^E\s{2,}(.+)$/, (m) => m[1]) },
      // Node and most runtimes: `TypeError: x is not a function`
      {
        kind: "exception",
        find: (lines) => firstMatch(lines, /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)): (.+)$/, (m) => `${m[1]}: ${m[2]}`)
      },
      // shells: `bash: line 1: pytest: command not found`, `sh: 1: x: not found`
      {
        kind: "shell",
        find: (lines) => firstMatch(lines, /(?:^|: )([\w.+-]+): (?:command )?not found$/, (m) => `command not found: ${m[1]}`)
      }
    ];
    NOISE = [
      /^\s*$/,
      /^Exit code \d+$/,
      /^[=\-_*~#]{3,}.*[=\-_*~#]{3,}$/,
      // ===== test session starts =====
      /^[=\-_*~#]{3,}$/,
      /^\[[\w:-]+\] \$ /,
      // task runners echoing a command: `[lint] $ golangci-lint run ./...`
      /^\$ /,
      /^(platform|rootdir|configfile|plugins|cachedir|collected|collecting)\b/,
      /^WARN(ING)?\b/,
      /^\s*at /
      // stack frames
    ];
    SIGNAL = /error|fail|exception|fatal|cannot|can't|could not|not found|no such|denied|invalid|unknown|refused|timed? ?out|panic|conflict|missing|not allowed|unexpected|undefined/i;
  }
});

// src/model/retry.ts
function callKind(tool, input) {
  const o = input && typeof input === "object" ? input : {};
  const command = typeof input === "string" ? input : typeof o.command === "string" ? o.command : null;
  if (command !== null) return `${tool} ${programOf(command) ?? ""}`.trim();
  const file = o.file_path ?? o.notebook_path ?? o.path;
  if (FILE_TOOLS2.has(tool) && typeof file === "string") return `${tool} ${file}`;
  return tool;
}
function observe(w, call) {
  if (w.fixedAfter !== null) return true;
  if (call.agent !== w.agent) return false;
  w.seen++;
  if (call.kind !== w.kind) return false;
  w.retried = true;
  if (call.outcome !== "success") return false;
  w.fixedAfter = w.seen;
  return true;
}
function followUps(calls) {
  const out2 = /* @__PURE__ */ new Map();
  const open = [];
  calls.forEach((c, i) => {
    for (let k = open.length - 1; k >= 0; k--) {
      const { i: at, w } = open[k];
      const f = out2.get(at);
      if (f.next === null && c.agent === w.agent) f.next = i;
      if (observe(w, c)) open.splice(k, 1);
      f.retried = w.retried;
      f.fixed = w.fixedAfter !== null;
      if (f.fixedAfter === null && w.fixedAfter !== null) f.fixedBy = i;
      f.fixedAfter = w.fixedAfter;
    }
    if (c.outcome === "success" || c.outcome === null) return;
    out2.set(i, { retried: false, fixed: false, fixedAfter: null, fixedBy: null, next: null });
    open.push({ i, w: watchOf(c.agent, c.kind) });
  });
  return out2;
}
var FILE_TOOLS2, watchOf;
var init_retry = __esm({
  "src/model/retry.ts"() {
    "use strict";
    init_causes();
    FILE_TOOLS2 = /* @__PURE__ */ new Set(["Write", "Edit", "MultiEdit", "NotebookEdit", "Read"]);
    watchOf = (agent, kind) => ({
      agent,
      kind,
      seen: 0,
      retried: false,
      fixedAfter: null
    });
  }
});

// src/model/views.ts
function inputSummary(tool, input) {
  if (typeof input === "string") {
    const line = input.split("\n").find((l) => /^\*\*\* (Add|Update|Delete) File: /.test(l)) ?? input;
    const t = line.replace(/^\*\*\* /, "").replace(/\s+/g, " ").trim();
    return t.length > 100 ? `${t.slice(0, 97)}...` : t;
  }
  if (!input || typeof input !== "object") return "";
  const i = input;
  const pick = str5(i.command) ?? str5(i.cmd) ?? str5(i.file_path) ?? str5(i.notebook_path) ?? str5(i.pattern) ?? str5(i.url) ?? str5(i.description) ?? str5(i.query);
  const text2 = pick ?? JSON.stringify(input);
  const one = text2.replace(/\s+/g, " ").trim();
  return tool && one.length > 100 ? `${one.slice(0, 97)}...` : one;
}
function buildAgentTree(events, prices = BUILTIN_PRICES) {
  const types = {};
  for (const e of events)
    if (e.type === "agent_start" && typeof e.agentId === "string" && typeof e.agentType === "string")
      types[e.agentId] = e.agentType;
  const ids = /* @__PURE__ */ new Set();
  const canonical2 = events.flatMap((e) => canonicalEvent(e, types)).filter((e) => !ids.has(e.id) && Boolean(ids.add(e.id)));
  const sorted = [...canonical2].sort((a, b) => a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);
  const node = (agent) => ({
    agent,
    agentType: null,
    parent: null,
    description: null,
    prompt: null,
    started: null,
    ended: null,
    outcome: null,
    tokens: zeroTokens(),
    costUsd: 0,
    unpricedTokens: 0,
    items: [],
    children: []
  });
  const main = node("main");
  const agents = /* @__PURE__ */ new Map([["main", main]]);
  const get = (id) => {
    const n2 = agents.get(id) ?? node(id);
    agents.set(id, n2);
    return n2;
  };
  const launches = /* @__PURE__ */ new Map();
  const launchedBy = /* @__PURE__ */ new Map();
  const calls = /* @__PURE__ */ new Map();
  for (const e of sorted) {
    if (e.type === "tool_start" && e.launch && typeof e.toolUseId === "string") {
      const l = e.launch;
      launches.set(e.toolUseId, {
        parent: e.agent,
        description: str5(l.description),
        prompt: str5(l.prompt),
        type: str5(l.subagentType),
        ts: e.ts
      });
    }
    if (e.type === "tool_call" && typeof e.launchedAgent === "string" && typeof e.toolUseId === "string")
      launchedBy.set(e.launchedAgent, e.toolUseId);
  }
  const usageOf = /* @__PURE__ */ new Map();
  const unmatched = [...launches.keys()].filter((k) => ![...launchedBy.values()].includes(k));
  for (const e of sorted) {
    const a = get(e.agent);
    if (e.agentType && !a.agentType) a.agentType = e.agentType;
    switch (e.type) {
      case "agent_start": {
        const id = str5(e.agentId) ?? e.agent;
        const n2 = get(id);
        n2.started = e.ts;
        n2.agentType ??= e.agentType ?? null;
        let useId = launchedBy.get(id);
        if (!useId) {
          const i = unmatched.findIndex(
            (k) => launches.get(k)?.type === n2.agentType || !launches.get(k)?.type
          );
          if (i >= 0) useId = unmatched.splice(i, 1)[0];
        }
        const l = useId ? launches.get(useId) : void 0;
        n2.parent = l?.parent ?? "main";
        n2.description = l?.description ?? null;
        n2.prompt = l?.prompt ?? null;
        break;
      }
      case "agent_end": {
        const n2 = get(str5(e.agentId) ?? e.agent);
        n2.ended = e.ts;
        n2.outcome = str5(e.lastMessage);
        break;
      }
      case "tool_start": {
        if (typeof e.toolUseId !== "string" || calls.has(e.toolUseId)) break;
        const call = {
          ts: e.ts,
          toolUseId: e.toolUseId,
          tool: String(e.tool),
          summary: inputSummary(String(e.tool), e.input),
          kind: callKind(String(e.tool), e.input),
          success: null,
          outcome: null,
          durationMs: null
        };
        calls.set(e.toolUseId, call);
        a.items.push({ kind: "tool", call });
        break;
      }
      case "tool_call": {
        const id = str5(e.toolUseId);
        let call = id ? calls.get(id) : void 0;
        if (!call) {
          call = {
            ts: e.ts,
            toolUseId: id,
            tool: String(e.tool),
            summary: inputSummary(String(e.tool), e.input),
            kind: callKind(String(e.tool), e.input),
            success: null,
            outcome: null,
            durationMs: null
          };
          if (id) calls.set(id, call);
          a.items.push({ kind: "tool", call });
        }
        if (call.success === false && e.success !== false) break;
        call.success = e.success !== false;
        call.outcome = (typeof e.outcome === "string" ? e.outcome : null) ?? (e.success === false ? e.interrupted ? "interrupted" : "failed" : "success");
        const started = Date.parse(call.ts);
        call.durationMs = typeof e.durationMs === "number" ? e.durationMs : Number.isFinite(started) ? Date.parse(e.ts) - started : null;
        if (e.success === false) call.error = str5(e.error) ?? "failed";
        break;
      }
      case "file_change":
        a.items.push({
          kind: "file",
          ts: e.ts,
          path: String(e.path),
          operation: String(e.operation),
          diff: typeof e.diff === "string" ? e.diff : ""
        });
        break;
      case "usage":
        usageOf.set(e.agent, [...usageOf.get(e.agent) ?? [], e]);
        break;
    }
  }
  const late = sorted.filter((e) => e.type === "error" || e.type === "decision");
  late.sort((a, b) => a.type === b.type ? 0 : a.type === "error" ? -1 : 1);
  for (const e of late) {
    const call = typeof e.toolUseId === "string" ? calls.get(e.toolUseId) : void 0;
    if (e.type === "decision") {
      if (call && typeof e.rationale === "string") call.rationale = e.rationale;
      else if (!call && typeof e.what === "string") {
        const alternatives = Array.isArray(e.alternatives) ? e.alternatives.map(String) : [];
        get(e.agent).items.push({
          kind: "decision",
          ts: e.ts,
          what: e.what,
          rationale: str5(e.rationale),
          alternatives
        });
      }
    } else if (e.type === "error" && e.source !== "tool") {
      if (call && call.success === false) continue;
      if (call) {
        call.success = false;
        call.outcome = errorOutcome(String(e.message ?? ""));
        call.error = String(e.message ?? "failed");
      } else if (typeof e.toolUseId === "string" && str5(e.tool)) {
        const refused = {
          ts: e.ts,
          toolUseId: e.toolUseId,
          tool: String(e.tool),
          summary: inputSummary(String(e.tool), e.input),
          kind: callKind(String(e.tool), e.input),
          success: false,
          outcome: errorOutcome(String(e.message ?? "")),
          durationMs: null,
          error: String(e.message ?? "failed")
        };
        calls.set(e.toolUseId, refused);
        get(e.agent).items.push({ kind: "tool", call: refused });
      } else
        get(e.agent).items.push({
          kind: "error",
          ts: e.ts,
          tool: str5(e.tool),
          message: String(e.message ?? "")
        });
    }
  }
  for (const n2 of agents.values()) {
    n2.items.sort((x, y) => ("call" in x ? x.call.ts : x.ts).localeCompare("call" in y ? y.call.ts : y.ts));
    const tools = n2.items.flatMap((i) => i.kind === "tool" ? [i.call] : []);
    tools.forEach((c, i) => {
      if (c.success === false && tools[i + 1]) c.next = `${tools[i + 1].tool} ${tools[i + 1].summary}`.trim();
    });
  }
  for (const [id, list] of usageOf) {
    const n2 = get(id);
    const m = eventsSpend(list, prices);
    n2.tokens = m.tokens;
    n2.costUsd = m.costUsd;
    n2.unpricedTokens = m.unpricedTokens;
  }
  for (const [id, n2] of agents) {
    if (id === "main") continue;
    (agents.get(n2.parent ?? "main") ?? main).children.push(n2);
  }
  for (const n2 of agents.values())
    n2.children.sort((x, y) => (x.started ?? "").localeCompare(y.started ?? ""));
  return main;
}
var str5;
var init_views = __esm({
  "src/model/views.ts"() {
    "use strict";
    init_canonical();
    init_events();
    init_figures();
    init_pricing();
    init_retry();
    init_session();
    init_figures();
    str5 = (v) => typeof v === "string" ? v : null;
  }
});

// src/recovery/handoff.ts
function lastUnresolved(state) {
  return state.errors.filter((e) => e.outcome === "failed" && !e.resolved).at(-1) ?? null;
}
function nextStep(state) {
  const lines = [];
  const since = state.lastPromptTs ?? "";
  const latest = state.prompts.at(-1);
  if (latest) lines.push(`The person's latest request: ${clip(latest, 600)}`);
  const refusal = state.errors.filter((e) => e.outcome !== "failed").at(-1);
  if (refusal && refusal.ts >= since)
    lines.push(
      `Then ${declined(refusal)}: ${refusal.said ? "do what they said" : "ask them how to proceed"} rather than retry it as it was.`
    );
  if (state.lastMessage && (state.lastMessageTs ?? "") >= since)
    lines.push(`The agent's last message: ${clip(state.lastMessage, 600)}`);
  const failure = lastUnresolved(state);
  if (failure && failure.ts >= since)
    lines.push(`Still failing: ${failure.tool} ${code(clip(failure.target, 120))} (see Last error).`);
  const doing = state.todos.find((t) => t.status === "in_progress");
  const pending = state.todos.find((t) => t.status === "pending");
  if (doing) lines.push(`Continue the todo in progress: ${clip(doing.content, 300)}`);
  else if (pending) lines.push(`Start the next todo: ${clip(pending.content, 300)}`);
  if (!lines.length) lines.push("Check the goal against the work tree and decide what remains.");
  return lines;
}
function statedChoice(text2) {
  const sentences = text2.replace(/\s+/g, " ").split(/(?<=[.!?])\s+(?=[A-Z`*])/).map((x) => x.replace(/^[-*#\d.\s]+/, "").trim()).filter(Boolean);
  for (let i = 0; i < sentences.length; i++) {
    const s2 = sentences[i];
    if (!CHOICE.test(s2) || !FIRST_PERSON.test(s2)) continue;
    if (CHATTER.test(s2) && !WHY.test(s2)) continue;
    const why = !WHY.test(s2) && sentences[i + 1] && WHY.test(sentences[i + 1]) ? ` ${sentences[i + 1]}` : "";
    return clip(`${s2}${why}`, 320);
  }
  return null;
}
function relativePath(p, cwd) {
  const n2 = p.replace(/\\/g, "/");
  const root = cwd?.replace(/\\/g, "/").replace(/\/+$/, "");
  if (root && n2.startsWith(`${root}/`)) return n2.slice(root.length + 1);
  return n2;
}
function localText(text2, cwd) {
  const root = cwd?.replace(/\\/g, "/").replace(/\/+$/, "");
  if (!root) return text2;
  let out2 = text2.split(`${root}/`).join("").split(root).join(".");
  const home = /^(\/Users\/[^/]+|\/home\/[^/]+)(?=\/|$)/.exec(root)?.[1];
  if (home) out2 = out2.split(`${home}/`).join("~/");
  return out2;
}
function localState(state, cwd) {
  const l = (t) => localText(t, cwd);
  const ln = (t) => t === null ? null : l(t);
  return {
    ...state,
    goal: ln(state.goal),
    prompts: state.prompts.map(l),
    lastMessage: ln(state.lastMessage),
    todos: state.todos.map((t) => ({ ...t, content: l(t.content) })),
    errors: state.errors.map((e) => ({
      ...e,
      target: l(e.target),
      message: l(e.message),
      output: l(e.output),
      said: ln(e.said),
      tried: ln(e.tried)
    })),
    agents: state.agents.map((a) => ({ ...a, task: ln(a.task), outcome: ln(a.outcome) })),
    rationales: state.rationales.map((r2) => ({ ...r2, text: l(r2.text) })),
    decisions: state.decisions.map((d) => ({ ...d, what: l(d.what), why: ln(d.why) }))
  };
}
function render(head, sections) {
  const out2 = [...head];
  for (const s2 of sections) if (s2.lines.length) out2.push("", `## ${s2.title}`, ...s2.lines);
  return `${out2.join("\n")}
`;
}
function buildHandoff(input, counter2, budget2 = 2e3) {
  const { summary, snapshot } = input;
  const cwd = summary.cwd;
  const state = localState(input.state, cwd);
  const cli = input.cli ?? "agent-track";
  const status = input.status ?? (state.ended || summary.imported ? "ended" : input.crashed ? "crashed" : "running");
  const fileMap = /* @__PURE__ */ new Map();
  for (const f of state.files) fileMap.set(relativePath(f.path, cwd), f.operation);
  for (const f of snapshot?.files ?? []) {
    const p = relativePath(f.path, cwd);
    if (fileMap.has(p)) fileMap.set(p, f.status);
  }
  for (const p of [...fileMap.keys()]) {
    if (OWN_FILES.some((r2) => r2.test(p)) || p.startsWith("/") && CLAUDE_OWN.test(p)) fileMap.delete(p);
    else if ([...fileMap.keys()].some((q2) => q2 !== p && q2.endsWith(`/${p}`))) fileMap.delete(p);
  }
  for (const [p, op] of [...fileMap]) {
    const shown = localText(p, cwd);
    if (shown !== p) {
      fileMap.delete(p);
      fileMap.set(shown, op);
    }
  }
  const when = [
    summary.branch ? `on branch ${code(summary.branch)}` : null,
    summary.started ? `started ${summary.started}` : null,
    state.lastActivity ? `last activity ${state.lastActivity}` : null
  ].filter(Boolean);
  const head = [
    `# Handoff: session ${summary.session.slice(0, 8)} (${status})`,
    "",
    `Recorded by agent-track${when.length ? `, ${when.join(", ")}` : ""}.`
  ];
  if (fileMap.size)
    head.push(
      'The files under "Modified files" were changed by this session: read them before redoing any work.'
    );
  if (snapshot)
    head.push(
      `Latest snapshot ${code(snapshot.id)} (${snapshot.trigger}, ${snapshot.ts}) at HEAD ${code((snapshot.git.head ?? "?").slice(0, 12))}; \`${cli} restore ${snapshot.id} --worktree PATH\` lays it back elsewhere.`
    );
  const goal = {
    title: "Goal",
    lines: [clip(state.goal ?? summary.firstPrompt ?? "(no prompt recorded)", 1500)]
  };
  const next = { title: "Next step", lines: nextStep(state).map((l) => `- ${l}`) };
  const failure = lastUnresolved(state);
  const last = {
    title: "Last error",
    lines: failure ? [
      `${failure.tool} ${code(clip(failure.target, 160))} failed${failure.tried ? `; tried next: ${code(clip(failure.tried, 160))}` : ""}:`,
      "```",
      failure.output.replace(/```/g, "` ` `"),
      "```"
    ] : []
  };
  const choices = { title: "Declined by the person", lines: [] };
  const refusals = state.errors.filter((e) => e.outcome !== "failed");
  if (refusals.length) choices.lines.push(`- ${declined(refusals.at(-1))}`);
  const open = state.todos.filter((t2) => t2.status !== "completed");
  const todos = {
    title: "Open todos",
    lines: open.map((t2) => `- [${t2.status === "in_progress" ? "in progress" : " "}] ${clip(t2.content, 300)}`)
  };
  const files = {
    title: "Modified files",
    lines: [...fileMap].sort(([a], [b]) => a.localeCompare(b)).map(([p, op]) => `- ${code(p)} (${op})`)
  };
  const agents = { title: "Subagents", lines: [] };
  const done2 = { title: "Done", lines: [] };
  const errors = { title: "Earlier errors and what was tried", lines: [] };
  const decisions = { title: "Decisions", lines: [] };
  const prompts = { title: "Earlier prompts (oldest first)", lines: [] };
  const totals2 = { title: "Totals", lines: [] };
  const candidates = [];
  for (const e of refusals.slice(0, -1).reverse()) candidates.push([choices, `- ${declined(e)}`]);
  for (const a of [...state.agents].reverse())
    candidates.push([
      agents,
      `- ${a.type ?? "agent"}: ${clip(a.task ?? "(no description)", 120)} - ${a.status}${a.outcome ? `: ${clip(a.outcome, 240)}` : ""}`
    ]);
  for (const t2 of state.todos.filter((x) => x.status === "completed").reverse())
    candidates.push([done2, `- [x] ${clip(t2.content, 200)}`]);
  const errorLine = (e) => `- ${e.tool} ${code(clip(e.target, 120))}: ${clip(e.message, 300)}${e.tried ? `; tried next: ${code(clip(e.tried, 160))}` : ""}${e.resolved ? " (resolved later)" : ""}`;
  const failures = state.errors.filter((e) => e.outcome === "failed" && e !== failure);
  for (const e of [...failures].reverse()) if (!e.resolved) candidates.push([errors, errorLine(e)]);
  const seen = /* @__PURE__ */ new Set();
  const decision = (line) => {
    const key = line.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push([decisions, line]);
  };
  for (const d of [...state.decisions].reverse())
    decision(
      `- ${clip(d.what, 200)}${d.why ? ` (why: ${clip(d.why, 200)})` : ""}${d.alternatives.length ? ` (rejected: ${d.alternatives.map((x) => clip(x, 60)).join("; ")})` : ""}`
    );
  for (const r2 of [...state.rationales].reverse()) {
    const choice = statedChoice(r2.text);
    if (choice) decision(`- ${choice}`);
  }
  for (const e of [...failures].reverse()) if (e.resolved) candidates.push([errors, errorLine(e)]);
  const t = summary.tokens;
  candidates.push([
    totals2,
    // the session's figures as every surface derives them (model/figures.ts via the summary)
    `- ${many(summary.toolCalls, "tool call")} (${summary.toolFailures} failed), ${many(summary.agents, "subagent")}, ${many(summary.errors, "error")}; tokens in ${t.input}, out ${t.output}, cache read ${t.cacheRead}, cache write ${t.cacheWrite}; cost ${usdText(summary.costUsd, summary.unpricedTokens ?? 0)} (list-price estimate)`
  ]);
  const promptLines = state.prompts.slice(0, -1).map((p) => `- ${clip(p, 300)}`);
  const order = [goal, next, last, choices, todos, files, agents, done2, errors, decisions, prompts, totals2];
  let text2 = render(head, order);
  if (text2.length > MAX_CHARS && files.lines.length > 20) {
    const n2 = files.lines.length;
    files.lines = [...files.lines.slice(0, 20), `- ... and ${n2 - 20} more`];
    text2 = render(head, order);
  }
  let tokens = counter2.count(text2);
  let dropped = 0;
  const tryAdd = (section, line, at) => {
    if (tokens >= budget2 - 8 || text2.length >= MAX_CHARS - 20) {
      dropped++;
      return;
    }
    if (at === "end") section.lines.push(line);
    else section.lines.unshift(line);
    const nextText = render(head, order);
    const n2 = counter2.count(nextText);
    if (n2 > budget2 || nextText.length > MAX_CHARS) {
      if (at === "end") section.lines.pop();
      else section.lines.shift();
      dropped++;
    } else {
      text2 = nextText;
      tokens = n2;
    }
  };
  for (const [section, line] of candidates.slice(0, 300)) tryAdd(section, line, "end");
  for (const line of [...promptLines].reverse().slice(0, 50)) tryAdd(prompts, line, "start");
  dropped += Math.max(0, candidates.length - 300) + Math.max(0, promptLines.length - 50);
  return {
    session: summary.session,
    snapshot: snapshot?.id ?? null,
    markdown: text2,
    tokens,
    budget: budget2,
    dropped
  };
}
var MAX_CHARS, clip, code, declined, CHATTER, CHOICE, FIRST_PERSON, WHY, OWN_FILES, CLAUDE_OWN;
var init_handoff = __esm({
  "src/recovery/handoff.ts"() {
    "use strict";
    init_figures();
    MAX_CHARS = 9500;
    clip = (s2, max) => {
      const t = s2.replace(/\s+/g, " ").trim();
      return t.length > max ? `${t.slice(0, max - 3)}...` : t;
    };
    code = (s2) => `\`${s2.replace(/`/g, "'")}\``;
    declined = (e) => `${e.tool} ${code(clip(e.target, 120))}${e.outcome === "interrupted" ? " was interrupted by the person" : " was declined by the person"}${e.said ? `, who said: "${clip(e.said, 400)}"` : " (no reason given)"}`;
    CHATTER = /^(you'?re (absolutely |completely )?right|great|perfect|excellent|good (catch|point|idea|question)|got it|sure|ok(ay)?|thanks|thank you|interesting|i see|now\b|let me\b|all tests pass)/i;
    CHOICE = /\b(instead of|rather than|in favou?r of|i'?(ll| will) (use|go with|keep|switch to)|(we|i) (should|could) use|going with|went with|(i )?(chose|choose|decided|opted|prefer)|the (simplest|safest|cleanest|better|best|right) (fix|way|approach|option) is|better to|trade-?off)\b/i;
    FIRST_PERSON = /\b(i|i'll|i'm|i've|we|we'll|let's|let me|my|our)\b/i;
    WHY = /\b(because|since|so that|as it|which (avoids|keeps|means)|to avoid|otherwise)\b/i;
    OWN_FILES = [
      /^\.agent-tracking\.yml$/,
      /^\.github\/workflows\/agent-tracking\.yml$/,
      /^\.claude\/commands\/agent-track\//,
      /^\.claude\/settings(\.local)?\.json$/
    ];
    CLAUDE_OWN = /(^|\/)\.claude\/(plans|projects|todos|memory)\//;
  }
});

// src/recovery/mine.ts
import * as fs25 from "node:fs";
import * as os6 from "node:os";
import * as path23 from "node:path";
function whoAmI(paths) {
  const trees = /* @__PURE__ */ new Set([paths.workTree]);
  if (path23.basename(paths.commonDir) === ".git") trees.add(path23.dirname(paths.commonDir));
  try {
    for (const name of fs25.readdirSync(path23.join(paths.commonDir, "worktrees"))) {
      try {
        const gitFile = fs25.readFileSync(path23.join(paths.commonDir, "worktrees", name, "gitdir"), "utf8").trim();
        trees.add(path23.dirname(path23.resolve(paths.commonDir, "worktrees", name, gitFile)));
      } catch {
      }
    }
  } catch {
  }
  const email = gitIdentity(paths.workTree).email;
  return {
    email: email === "agent-track@localhost" ? null : email,
    host: os6.hostname(),
    workTrees: [...trees].map((t) => {
      try {
        return fs25.realpathSync(t);
      } catch {
        return t;
      }
    })
  };
}
function isMine(s2, me2) {
  if (s2.host && s2.host !== me2.host) return false;
  if (s2.cwd && !inside(s2.cwd, me2.workTrees)) return false;
  if (s2.author?.email && me2.email && s2.author.email !== me2.email) return false;
  return true;
}
function pickMine(list, gitBranch, exclude) {
  const pool = list.filter((c) => c.session !== exclude);
  const mine = pool.filter((c) => c.mine);
  const latest = (xs) => [...xs].sort((a, b) => a.at.localeCompare(b.at)).at(-1)?.session ?? null;
  const onBranch = mine.filter((c) => c.branch === gitBranch);
  return {
    session: latest(onBranch) ?? latest(mine),
    others: pool.length - mine.length
  };
}
function noneOfMine(me2, others) {
  const who2 = me2.email ? `git identity ${me2.email}` : "this git identity";
  return `no session of yours (${who2}, this clone) recorded yet${others ? `; ${others} session${others === 1 ? "" : "s"} of teammates ${others === 1 ? "is" : "are"} on the branch: name one with --session ID (see \`sessions\`)` : "; give --session ID"}`;
}
var inside, currentClaudeSession;
var init_mine = __esm({
  "src/recovery/mine.ts"() {
    "use strict";
    init_git();
    inside = (dir, roots) => {
      let d = dir;
      try {
        d = fs25.realpathSync(dir);
      } catch {
      }
      return roots.some(
        (r2) => d === r2 || d.startsWith(r2 + path23.sep) || dir === r2 || dir.startsWith(r2 + path23.sep)
      );
    };
    currentClaudeSession = () => process.env.CLAUDE_CODE_SESSION_ID || null;
  }
});

// src/recovery/snapshot-types.ts
function parseSnapshotId(id) {
  const m = /^([A-Za-z0-9_-]{1,64})@(\d{1,9})$/.exec(id);
  return m ? { prefix: m[1], n: Number(m[2]) } : null;
}
var snapshotId, snapshotPath;
var init_snapshot_types = __esm({
  "src/recovery/snapshot-types.ts"() {
    "use strict";
    snapshotId = (session, n2) => `${session.slice(0, 8)}@${n2}`;
    snapshotPath = (n2) => `snapshots/${String(n2).padStart(6, "0")}.json`;
  }
});

// src/recovery/state.ts
function applyTodoCall(todos, tool, input, output) {
  if (tool === "TodoWrite" && Array.isArray(input?.todos)) {
    return input.todos.filter((t) => t && typeof t.content === "string").map((t, i) => ({
      id: str6(t.id) ?? String(i + 1),
      content: t.content,
      status: str6(t.status) ?? "pending"
    }));
  }
  if (tool === "TaskCreate" && input && typeof input === "object") {
    const content = str6(input.subject) ?? str6(input.content) ?? str6(input.description);
    if (!content) return todos;
    const id = str6(output?.task?.id) ?? str6(output?.id) ?? str6(output?.taskId) ?? String(todos.length + 1);
    return [...todos.filter((t) => t.id !== id), { id, content, status: "pending" }];
  }
  if (tool === "TaskUpdate" && input && typeof input === "object") {
    const id = str6(input.taskId) ?? str6(input.id);
    return todos.map(
      (t) => t.id === id ? {
        ...t,
        status: str6(input.status) ?? t.status,
        content: str6(input.subject) ?? t.content
      } : t
    ).filter((t) => t.status !== "deleted");
  }
  return todos;
}
function walk(node, visit) {
  visit(node);
  for (const c of node.children) walk(c, visit);
}
function isClaudeCodeRecord(text2) {
  const t = text2.trimStart();
  return /^<(command-name|command-message|command-args|local-command-stdout|local-command-stderr|local-command-caveat|bash-input|bash-stdout|bash-stderr|user-memory-input)>/.test(
    t
  ) || t.startsWith("Caveat: The messages below were generated by the user while running local commands") || t.startsWith("[Request interrupted by user");
}
function headAndTail(text2, head = 12, tail = 30, width = 240) {
  const lines = text2.replace(/\r/g, "").split("\n").map((l) => l.length > width ? `${l.slice(0, width - 3)}...` : l);
  while (lines.length && !lines.at(-1).trim()) lines.pop();
  if (lines.length <= head + tail) return lines.join("\n");
  return [
    ...lines.slice(0, head),
    `... (${lines.length - head - tail} lines left out) ...`,
    ...lines.slice(-tail)
  ].join("\n");
}
function personSaid(message) {
  const m = /the user said:\s*([\s\S]+)$/i.exec(message);
  return m ? m[1].trim() : null;
}
function foldRecovery(session, events) {
  const sorted = [...events].sort((a, b) => a.ts.localeCompare(b.ts));
  const state = {
    session,
    goal: null,
    prompts: [],
    todos: [],
    files: [],
    agents: [],
    errors: [],
    decisions: [],
    rationales: [],
    lastMessage: null,
    lastMessageTs: null,
    lastPromptTs: null,
    lastActivity: sorted.at(-1)?.ts ?? null,
    ended: false,
    toolCalls: 0
  };
  const files = /* @__PURE__ */ new Map();
  const noteFile = (p, operation, ts) => {
    if (p) files.set(p, { path: p, operation, ts });
  };
  for (const e of sorted) {
    switch (e.type) {
      case "prompt": {
        const text2 = typeof e.text === "string" ? e.text : null;
        if (!text2?.trim() || isClaudeCodeRecord(text2)) break;
        if (state.goal === null) state.goal = text2;
        else state.prompts.push(text2);
        state.lastPromptTs = e.ts;
        break;
      }
      case "tool_call": {
        const tool = String(e.tool ?? "");
        if (e.success !== false) {
          state.todos = applyTodoCall(state.todos, tool, e.input, e.output);
          if (FILE_TOOLS3.has(tool)) {
            const input = e.input ?? {};
            noteFile(str6(input.file_path) ?? str6(input.notebook_path), tool.toLowerCase(), e.ts);
          }
        }
        break;
      }
      case "file_change":
        noteFile(str6(e.path), String(e.operation ?? "edit"), e.ts);
        break;
      case "stop":
        if (typeof e.lastMessage === "string" && e.lastMessage.trim() && e.agent === "main") {
          state.lastMessage = e.lastMessage;
          state.lastMessageTs = e.ts;
        }
        break;
      case "session_end":
        state.ended = true;
        break;
      case "session_start":
        state.ended = false;
        break;
    }
  }
  state.files = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
  const tree = buildAgentTree(sorted);
  walk(tree, (n2) => {
    const calls = n2.items.flatMap((i) => i.kind === "tool" ? [i.call] : []);
    state.toolCalls += calls.length;
    const follow = followUps(
      calls.map((c) => ({
        agent: n2.agent,
        kind: c.kind,
        outcome: c.success === true ? "success" : c.success === false ? c.outcome ?? "failed" : null
      }))
    );
    calls.forEach((c, i) => {
      if (c.rationale && state.rationales.at(-1)?.text !== oneLine(c.rationale, 600))
        state.rationales.push({ ts: c.ts, tool: c.tool, text: oneLine(c.rationale, 600) });
      if (c.success !== false) return;
      const raw = c.error ?? "failed";
      const denied = /^Permission to use \S+ .*has been denied/.test(raw);
      const outcome = c.outcome === "rejected" || c.outcome === "interrupted" ? c.outcome : denied ? "rejected" : "failed";
      state.errors.push({
        ts: c.ts,
        agent: n2.agent,
        tool: c.tool,
        target: callTarget(c),
        message: oneLine(raw, 400),
        output: headAndTail(raw),
        outcome,
        said: outcome === "rejected" ? personSaid(raw) : null,
        tried: c.next ?? null,
        resolved: follow.get(i)?.fixed ?? false
      });
    });
    for (const i of n2.items)
      if (i.kind === "decision")
        state.decisions.push({ ts: i.ts, what: i.what, why: i.rationale, alternatives: i.alternatives });
    if (n2.agent !== "main") {
      state.agents.push({
        agent: n2.agent,
        type: n2.agentType,
        task: n2.description,
        status: n2.ended ? "done" : "running",
        outcome: n2.outcome ? oneLine(n2.outcome, 400) : null
      });
    }
  });
  state.errors.sort((a, b) => a.ts.localeCompare(b.ts));
  state.rationales.sort((a, b) => a.ts.localeCompare(b.ts));
  state.decisions.sort((a, b) => a.ts.localeCompare(b.ts));
  return state;
}
var str6, FILE_TOOLS3, oneLine, callTarget;
var init_state = __esm({
  "src/recovery/state.ts"() {
    "use strict";
    init_retry();
    init_views();
    str6 = (v) => typeof v === "string" ? v : null;
    FILE_TOOLS3 = /* @__PURE__ */ new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);
    oneLine = (s2, max) => {
      const t = s2.replace(/\s+/g, " ").trim();
      return t.length > max ? `${t.slice(0, max - 3)}...` : t;
    };
    callTarget = (c) => c.summary;
  }
});

// src/recovery/tokens.ts
async function tokenCounter() {
  if (counter) return counter;
  const mod = await import("@anthropic-ai/tokenizer");
  const tokenizer = (mod.getTokenizer ? mod : mod.default).getTokenizer();
  counter = {
    count: (text2) => tokenizer.encode(text2.normalize("NFKC"), "all").length
  };
  return counter;
}
var counter;
var init_tokens = __esm({
  "src/recovery/tokens.ts"() {
    "use strict";
    counter = null;
  }
});

// src/recovery/snapshot.ts
import { execFileSync as execFileSync4 } from "node:child_process";
import { createHash as createHash13 } from "node:crypto";
import * as fs26 from "node:fs";
import * as path24 from "node:path";
function workTreeChanges(workTree) {
  const out2 = execFileSync4(
    "git",
    // --no-optional-locks: status must not refresh (rewrite) the user's index
    ["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"],
    {
      cwd: workTree,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024
    }
  );
  const list = [];
  for (const entry of out2.split("\0")) {
    if (entry.length < 4) continue;
    const xy = entry.slice(0, 2);
    const file = entry.slice(3);
    let status = "modified";
    if (xy === "??") status = "untracked";
    else if (xy.includes("D")) status = "deleted";
    else if (xy.includes("A")) status = "added";
    list.push({ path: file, status });
  }
  return list.sort((a, b) => a.path.localeCompare(b.path));
}
function isText(content) {
  if (content.includes(0)) return false;
  return Buffer.from(content.toString("utf8"), "utf8").equals(content);
}
async function sessionEvents(paths, branch, summary, session) {
  const events = branch && summary ? await branch.events(summary) : [];
  const seen = new Set(events.map((e) => e.id));
  try {
    for (const line of fs26.readFileSync(spoolFile(paths, session), "utf8").split("\n")) {
      if (!line) continue;
      try {
        const e = JSON.parse(line);
        if (e?.id && !seen.has(e.id)) {
          seen.add(e.id);
          events.push(e);
        }
      } catch {
      }
    }
  } catch {
  }
  return events;
}
async function openBranch(paths) {
  try {
    return await TrackingBranch.open(paths);
  } catch {
    return null;
  }
}
async function findSessionAnywhere(paths, branch, idOrPrefix) {
  let summary = null;
  if (branch) {
    try {
      summary = await branch.findSession(idOrPrefix);
    } catch (e) {
      if (!/^no session/.test(e.message)) throw e;
    }
  }
  let id = summary?.session ?? null;
  if (!id) {
    const spooled = fs26.existsSync(paths.spoolDir) ? fs26.readdirSync(paths.spoolDir).filter((f) => f.endsWith(".jsonl") && f.startsWith(idOrPrefix)).map((f) => f.slice(0, -6)) : [];
    if (spooled.length !== 1)
      throw new Error(
        spooled.length ? `'${idOrPrefix}' matches ${spooled.length} sessions; give more of the id` : `no session '${idOrPrefix}' recorded in this repository (see \`agent-track sessions\`)`
      );
    id = spooled[0];
  }
  const events = await sessionEvents(paths, branch, summary, id);
  if (!summary) summary = foldSummary(emptySummary(id, "?", ""), events);
  return { summary, events };
}
function dueTrigger(summary, config) {
  const last = summary.lastSnapshot ?? null;
  if (summary.ended && !last?.ended) return "session_end";
  if ((summary.compacts ?? 0) > (last?.compacts ?? 0)) return "precompact";
  if (summary.agents - (last?.agents ?? 0) >= config.snapshots.everyAgents) return "agents";
  if (totalTokens(summary) - (last?.tokens ?? 0) >= config.snapshots.everyTokens) return "tokens";
  return null;
}
function readWorkTree(paths, config) {
  const files = [];
  const stored = /* @__PURE__ */ new Map();
  const cap = config.limits.fileContentBytes;
  for (const change of workTreeChanges(paths.workTree)) {
    const abs = path24.join(paths.workTree, change.path);
    let content = null;
    try {
      if (change.status !== "deleted" && fs26.statSync(abs).isFile()) content = fs26.readFileSync(abs);
    } catch {
      content = null;
    }
    if (!content) {
      files.push({
        path: change.path,
        status: "deleted",
        blob: null,
        stored: null,
        redacted: false,
        bytes: 0
      });
      continue;
    }
    const f = {
      path: change.path,
      status: change.status,
      blob: blobId(content),
      stored: null,
      redacted: false,
      bytes: content.length
    };
    if (content.length > cap) f.skipped = "too-large";
    else if (!isText(content)) f.skipped = "binary";
    else {
      const text2 = content.toString("utf8");
      const clean2 = redactFileContent(change.path, text2, { extraPatterns: config.redaction.extraPatterns });
      f.redacted = clean2 !== text2;
      f.stored = blobId(Buffer.from(clean2, "utf8"));
      stored.set(f.stored, clean2);
    }
    files.push(f);
  }
  return { files, stored };
}
async function takeSnapshot(paths, opts) {
  return (await takeSnapshots(paths, [opts]))[0];
}
async function takeSnapshots(paths, list) {
  const config = await loadConfig(paths);
  if (list.some((o) => o.flushFirst)) await flushWithTranscripts(paths, { waitMs: 6e4 });
  const branch = await openBranch(paths);
  const head = readHead(paths);
  const tree = readWorkTree(paths, config);
  const redact = (v) => redactValue(v, { extraPatterns: config.redaction.extraPatterns, pass: "full" });
  const counter2 = await tokenCounter();
  const records = [];
  const events = [];
  const files = [];
  const refs = [];
  for (const opts of list) {
    let ref;
    if (opts.session) ref = await findSessionAnywhere(paths, branch, opts.session);
    else {
      const current = currentClaudeSession();
      const me2 = whoAmI(paths);
      const pick = current ? { session: current, others: 0 } : pickMine(
        (branch ? await branch.sessions() : []).map((s2) => ({
          session: s2.session,
          at: s2.lastActivity ?? "",
          branch: s2.branch,
          mine: isMine(s2, me2)
        })),
        head.branch,
        null
      );
      if (!pick.session) throw new Error(noneOfMine(me2, pick.others));
      ref = await findSessionAnywhere(paths, branch, pick.session);
    }
    refs.push({ ref, opts });
  }
  let given = false;
  await flushSpool(paths, {
    waitMs: 6e4,
    collect: async ({ index, cursors }) => {
      if (given) return { events: [], cursors, verify: [] };
      given = true;
      for (const { ref, opts } of refs) {
        const summary = index[ref.summary.session] ?? ref.summary;
        if (opts.trigger !== "manual" && index[summary.session] && !dueTrigger(summary, config)) continue;
        const state = foldRecovery(summary.session, ref.events);
        const n2 = (summary.snapshots ?? 0) + 1;
        const record = {
          id: snapshotId(summary.session, n2),
          n: n2,
          session: summary.session,
          ts: (/* @__PURE__ */ new Date()).toISOString(),
          trigger: opts.trigger,
          note: opts.note ? redactText(opts.note, { extraPatterns: config.redaction.extraPatterns }) : null,
          git: { head: head.head, branch: head.branch, workTree: paths.workTree },
          files: tree.files,
          todos: state.todos,
          usage: { tokens: summary.tokens, costUsd: summary.costUsd },
          agents: state.agents,
          errors: state.errors.filter((e) => !e.resolved),
          at: {
            agents: summary.agents,
            tokens: totalTokens(summary),
            compacts: summary.compacts ?? 0,
            ended: Boolean(summary.ended)
          }
        };
        records.push(record);
        events.push(
          redact({
            id: `snapshot-${summary.session}-${n2}`,
            ts: record.ts,
            session: summary.session,
            agent: "main",
            type: "snapshot",
            snapshot: record.id,
            trigger: record.trigger,
            note: record.note,
            head: record.git.head,
            branch: record.git.branch,
            files: tree.files.length,
            at: record.at
          })
        );
        const handoff = buildHandoff(
          { summary, state, snapshot: record, crashed: false },
          counter2,
          config.recovery.handoffBudget
        );
        files.push(
          {
            session: summary.session,
            path: snapshotPath(n2),
            // redacted as a value (key-aware), then serialized: text redaction of JSON could break it
            content: redactedJson(redact(record), 2)
          },
          ...[...tree.stored].map(([oid, content]) => ({
            session: summary.session,
            path: `blobs/${oid}`,
            content
          })),
          { session: summary.session, path: "handoff.md", content: redact(handoff.markdown) }
        );
      }
      return { events, cursors, verify: records.map((r2) => r2.session), files };
    }
  });
  return records;
}
async function listSnapshots(branch, summary) {
  const out2 = [];
  for (let n2 = 1; n2 <= (summary.snapshots ?? 0); n2++) {
    const text2 = await branch.readFile(`${summary.dir}/${snapshotPath(n2)}`);
    if (text2) out2.push(JSON.parse(text2));
  }
  return out2;
}
async function findSnapshot(branch, id) {
  const parsed = parseSnapshotId(id);
  if (!parsed)
    throw new Error(
      `'${id}' is not a snapshot id (they look like 4993952c@2; see \`agent-track snapshots\`)`
    );
  let summary;
  try {
    summary = await branch.findSession(parsed.prefix);
  } catch {
    throw new Error(`no snapshot '${id}': no session '${parsed.prefix}' (see \`agent-track snapshots\`)`);
  }
  const text2 = await branch.readFile(`${summary.dir}/${snapshotPath(parsed.n)}`);
  if (!text2)
    throw new Error(
      `no snapshot '${id}': session ${summary.session.slice(0, 8)} has ${summary.snapshots ?? 0}`
    );
  return { record: JSON.parse(text2), summary };
}
var blobId;
var init_snapshot = __esm({
  "src/recovery/snapshot.ts"() {
    "use strict";
    init_collect();
    init_redact2();
    init_session();
    init_config2();
    init_flush();
    init_paths();
    init_reader();
    init_spool();
    init_handoff();
    init_mine();
    init_snapshot_types();
    init_state();
    init_tokens();
    blobId = (content) => createHash13("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
  }
});

// src/recovery/restore.ts
import { execFileSync as execFileSync5 } from "node:child_process";
import * as fs27 from "node:fs";
import * as path25 from "node:path";
async function restoreSnapshot(paths, branch, id, opts) {
  const { record, summary } = await findSnapshot(branch, id);
  const head = record.git.head;
  if (!head)
    throw new Error(`snapshot ${id} was taken before the repository's first commit; nothing to check out`);
  try {
    git4(paths.workTree, ["cat-file", "-e", `${head}^{commit}`]);
  } catch {
    throw new Error(
      `snapshot ${id}: its HEAD ${head.slice(0, 12)} is no longer in this repository (pruned by git gc?)`
    );
  }
  const target2 = path25.resolve(opts.worktree);
  if (fs27.existsSync(target2) && fs27.readdirSync(target2).length > 0)
    throw new Error(`${target2} exists and is not empty; give a new folder to --worktree`);
  if (opts.branch) {
    try {
      git4(paths.workTree, ["check-ref-format", "--branch", opts.branch]);
    } catch {
      throw new Error(`'${opts.branch}' is not a valid branch name`);
    }
    if (git4(paths.workTree, ["branch", "--list", opts.branch]))
      throw new Error(`branch '${opts.branch}' exists already; give another --branch`);
  }
  const args = opts.branch ? ["worktree", "add", "--quiet", "-b", opts.branch, target2, head] : ["worktree", "add", "--quiet", "--detach", target2, head];
  adoptOwnership(paths.commonDir, paths.workTree);
  const since = Date.now();
  git4(paths.workTree, args);
  giveBackToOwner(paths.commonDir, since);
  const result = {
    snapshot: record.id,
    session: record.session,
    worktree: target2,
    head,
    branch: opts.branch ?? null,
    written: [],
    deleted: [],
    notStored: [],
    redacted: []
  };
  for (const f of record.files) {
    const dest = path25.join(target2, f.path);
    if (!dest.startsWith(`${target2}${path25.sep}`)) continue;
    if (f.status === "deleted") {
      fs27.rmSync(dest, { force: true });
      result.deleted.push(f.path);
      continue;
    }
    if (!f.stored) {
      result.notStored.push({ path: f.path, reason: f.skipped ?? "not stored" });
      continue;
    }
    const content = await branch.readFile(`${summary.dir}/blobs/${f.stored}`);
    if (content === null) {
      result.notStored.push({ path: f.path, reason: "missing from the branch" });
      continue;
    }
    fs27.mkdirSync(path25.dirname(dest), { recursive: true });
    fs27.writeFileSync(dest, content);
    result.written.push(f.path);
    if (f.redacted) result.redacted.push(f.path);
  }
  ownTree(target2);
  return result;
}
var git4;
var init_restore = __esm({
  "src/recovery/restore.ts"() {
    "use strict";
    init_owner();
    init_snapshot();
    git4 = (cwd, args) => execFileSync5("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  }
});

// src/recovery/resume.ts
var resume_exports = {};
__export(resume_exports, {
  resumeHandoff: () => resumeHandoff,
  statusOf: () => statusOf
});
import * as os7 from "node:os";
function statusOf(summary, crashedAfterMinutes) {
  return sessionStatus(summary, {
    now: Date.now(),
    host: os7.hostname(),
    alive: processAlive,
    crashedAfterMinutes
  });
}
async function resumeHandoff(paths, opts) {
  const config = await loadConfig(paths);
  await convertRaw(paths, { waitMs: 2e3, config }).catch(() => null);
  const branch = await openBranch(paths);
  const gitBranch = readHead(paths).branch;
  let ref = null;
  if (opts.session) {
    ref = await findSessionAnywhere(paths, branch, opts.session);
    if (opts.fallbackToLatest && ref.summary.prompts === 0 && !ref.events.some((e) => e.type === "prompt")) {
      const other = await latestOther(paths, gitBranch, ref.summary.session);
      if (other) ref = await findSessionAnywhere(paths, branch, other);
    }
  } else {
    const pick = await mine(paths, gitBranch, currentClaudeSession());
    if (!pick.session) throw new Error(noneOfMine(whoAmI(paths), pick.others));
    ref = await findSessionAnywhere(paths, branch, pick.session);
  }
  const { summary, events } = ref;
  let snapshot = null;
  if (branch && (summary.snapshots ?? 0) > 0)
    snapshot = (await listSnapshots(branch, summary)).at(-1) ?? null;
  const state = foldRecovery(summary.session, events);
  const status = statusOf(summary, config.recovery.crashedAfterMinutes);
  const crashed2 = status === "crashed";
  const handoff = buildHandoff(
    { summary, state, snapshot, crashed: crashed2, status, cli: opts.cli },
    await tokenCounter(),
    opts.maxTokens ?? config.recovery.handoffBudget
  );
  return { ...handoff, markdown: redactText(handoff.markdown, { pass: "full" }), crashed: crashed2 };
  async function latestOther(p, b, exclude) {
    return (await mine(p, b, exclude)).session;
  }
  async function mine(p, b, exclude) {
    const me2 = whoAmI(p);
    const byId = /* @__PURE__ */ new Map();
    if (branch)
      for (const s2 of await branch.sessions())
        byId.set(s2.session, {
          session: s2.session,
          at: s2.lastActivity ?? "",
          branch: s2.branch,
          mine: isMine(s2, me2)
        });
    for (const s2 of recentSpooledSessions(p, 20, exclude ?? "")) {
      const known = byId.get(s2.session);
      byId.set(s2.session, {
        session: s2.session,
        at: [s2.lastActivity ?? "", known?.at ?? ""].sort().at(-1),
        branch: s2.branch ?? known?.branch ?? null,
        // on the branch, its author says; spooled only (not flushed yet), this clone's own
        mine: known ? known.mine : !s2.host || s2.host === me2.host
      });
    }
    return pickMine([...byId.values()], b, exclude);
  }
}
var init_resume = __esm({
  "src/recovery/resume.ts"() {
    "use strict";
    init_raw();
    init_redact();
    init_session();
    init_config2();
    init_paths();
    init_spool();
    init_handoff();
    init_mine();
    init_snapshot();
    init_state();
    init_tokens();
  }
});

// src/attribution/git.ts
var git_exports = {};
__export(git_exports, {
  GitError: () => GitError,
  addedLinesBetween: () => addedLinesBetween,
  addedLinesOf: () => addedLinesOf,
  blameFile: () => blameFile,
  commitsOf: () => commitsOf,
  fileAt: () => fileAt,
  parseAddedLines: () => parseAddedLines,
  parseBlame: () => parseBlame,
  resolveCommit: () => resolveCommit,
  runGit: () => runGit2
});
import { execFileSync as execFileSync7 } from "node:child_process";
function runGit2(cwd, args) {
  try {
    return execFileSync7("git", args, {
      cwd,
      encoding: "utf8",
      maxBuffer: MAX_BUFFER,
      stdio: ["ignore", "pipe", "pipe"]
    });
  } catch (e) {
    const err = e;
    throw new GitError((err.stderr || err.message).trim().split("\n")[0]);
  }
}
function resolveCommit(cwd, rev) {
  try {
    return runGit2(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).trim();
  } catch {
    throw new GitError(`'${rev}' names no commit of this repository`);
  }
}
function parseBlame(out2) {
  const lines = [];
  let commit = null;
  let final = 0;
  let authorTime = null;
  let origPath;
  for (const row3 of out2.split("\n")) {
    if (row3.startsWith("	")) {
      lines.push({
        line: final,
        text: row3.slice(1),
        commit,
        authorTime: commit ? authorTime : null,
        origPath
      });
      continue;
    }
    if (row3.startsWith("filename ")) {
      origPath = row3.slice(9);
      continue;
    }
    const head = /^([0-9a-f]{40}) \d+ (\d+)/.exec(row3);
    if (head) {
      commit = ZERO.test(head[1]) ? null : head[1];
      final = Number(head[2]);
      authorTime = null;
    } else if (row3.startsWith("author-time ")) authorTime = Number(row3.slice(12)) * 1e3;
  }
  return lines;
}
function blameFile(workTree, file, rev, text2) {
  try {
    return parseBlame(runGit2(workTree, ["blame", "--line-porcelain", ...rev ? [rev] : [], "--", file]));
  } catch (e) {
    if (rev || text2 === void 0) throw e;
    const rows2 = text2.split("\n");
    if (rows2[rows2.length - 1] === "") rows2.pop();
    return rows2.map((t, i) => ({ line: i + 1, text: t, commit: null, authorTime: null }));
  }
}
function commitsOf(workTree, range, max) {
  const out2 = runGit2(workTree, [
    "log",
    "--no-merges",
    "--format=%H%x00%aI%x00%s",
    ...max ? [`--max-count=${max}`] : [],
    range,
    "--"
  ]);
  return out2.split("\n").filter(Boolean).map((l) => {
    const [sha, date, subject2] = l.split("\0");
    return { sha, date, subject: subject2 };
  });
}
function parseAddedLines(diff) {
  const files = /* @__PURE__ */ new Map();
  let current = null;
  for (const row3 of diff.split("\n")) {
    if (row3.startsWith("+++ ")) {
      current = row3 === "+++ /dev/null" ? null : [];
      if (current) files.set(row3.slice(4).replace(/^b\//, ""), current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(row3);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count2 = hunk[2] === void 0 ? 1 : Number(hunk[2]);
      for (let i = 0; i < count2; i++) current.push(start + i);
    }
  }
  return files;
}
function addedLinesOf(workTree, sha) {
  return parseAddedLines(
    runGit2(workTree, [
      ...DIFF_OPTS,
      "show",
      "--format=",
      "--no-color",
      "--unified=0",
      "--no-renames",
      "--no-ext-diff",
      sha
    ])
  );
}
function addedLinesBetween(workTree, base, head) {
  return parseAddedLines(
    runGit2(workTree, [
      ...DIFF_OPTS,
      "diff",
      "--no-color",
      "--unified=0",
      "--no-renames",
      "--no-ext-diff",
      base,
      head
    ])
  );
}
function fileAt(workTree, rev, file) {
  return runGit2(workTree, ["show", `${rev}:${file}`]);
}
var MAX_BUFFER, GitError, ZERO, DIFF_OPTS;
var init_git2 = __esm({
  "src/attribution/git.ts"() {
    "use strict";
    MAX_BUFFER = 512 * 1024 * 1024;
    GitError = class extends Error {
    };
    ZERO = /^0{40}$/;
    DIFF_OPTS = ["-c", "core.quotePath=false"];
  }
});

// src/attribution/blame.ts
var blame_exports = {};
__export(blame_exports, {
  Attribution: () => Attribution,
  GitError: () => GitError,
  attributeCommits: () => attributeCommits,
  logCommits: () => logCommits,
  rangeShare: () => rangeShare,
  resolveCommit: () => resolveCommit
});
import * as fs29 from "node:fs";
import * as path27 from "node:path";
function count(into, a) {
  if (a.kind === "agent" && a.change) {
    into.agentLines++;
    const t = a.change.agentType ?? "unknown";
    into.byAgentType[t] = (into.byAgentType[t] ?? 0) + 1;
    const m = a.change.model ?? "unknown";
    into.byModel[m] = (into.byModel[m] ?? 0) + 1;
    if (!into.sessions.includes(a.change.session)) into.sessions.push(a.change.session);
  } else if (a.kind === "human") into.humanLines++;
  else into.unknownLines++;
}
function countAdded(attr, rev, added) {
  const out2 = emptyCounts();
  for (const [file, numbers] of added) {
    if (!numbers.length) continue;
    const want = new Set(numbers);
    for (const a of attr.attribute(file, rev).attributed) if (want.has(a.line)) count(out2, a);
  }
  return out2;
}
function logCommits(attr, range, max) {
  return attributeCommits(attr, commitsOf(attr.paths.workTree, range, max));
}
function attributeCommits(attr, commits) {
  return commits.map((c) => {
    const n2 = countAdded(attr, c.sha, addedLinesOf(attr.paths.workTree, c.sha));
    return {
      sha: c.sha,
      subject: c.subject,
      date: c.date,
      sessions: n2.sessions,
      agentLines: n2.agentLines,
      // a committed line no recorded change wrote is a person's (a commit is always known here)
      humanLines: n2.humanLines + n2.unknownLines,
      byAgentType: n2.byAgentType,
      byModel: n2.byModel
    };
  });
}
function rangeShare(attr, base, head) {
  const wt = attr.paths.workTree;
  const headSha = resolveCommit(wt, head);
  const baseSha = runGit2(wt, ["merge-base", resolveCommit(wt, base), headSha]).trim();
  const added = addedLinesBetween(wt, baseSha, headSha);
  const n2 = countAdded(attr, headSha, added);
  const total = n2.agentLines + n2.humanLines + n2.unknownLines;
  return {
    base: baseSha,
    head: headSha,
    addedLines: total,
    agentShare: total ? n2.agentLines / total : 0,
    ...n2,
    humanLines: n2.humanLines + n2.unknownLines,
    unknownLines: 0
  };
}
var row2, Attribution, emptyCounts;
var init_blame = __esm({
  "src/attribution/blame.ts"() {
    "use strict";
    init_attribution();
    init_attribution2();
    init_reader();
    init_git2();
    row2 = (a) => ({
      line: a.line,
      kind: a.kind,
      session: a.change?.session ?? null,
      agent: a.change?.agent ?? null,
      agentType: a.change?.agentType ?? null,
      tool: a.change?.tool ?? null,
      toolUseId: a.change?.toolUseId ?? null,
      prompt: a.change?.prompt ?? null,
      ts: a.change?.ts ?? null,
      commit: a.commit
    });
    Attribution = class _Attribution {
      constructor(paths, branch, changes) {
        this.paths = paths;
        this.branch = branch;
        this.changes = changes;
        for (const c of changes) {
          const list = this.byPath.get(c.path);
          if (list) list.push(c);
          else this.byPath.set(c.path, [c]);
        }
      }
      paths;
      branch;
      changes;
      byPath = /* @__PURE__ */ new Map();
      static async open(paths) {
        let branch = null;
        try {
          branch = await TrackingBranch.open(paths);
        } catch (e) {
          if (!(e instanceof NoBranchError)) throw e;
        }
        return new _Attribution(paths, branch, branch ? await recordedChanges(paths, branch) : []);
      }
      /** A path as given on the command line (relative to `cwd`), as the repository names it. */
      repoPath(file, cwd) {
        const rel2 = path27.relative(this.paths.workTree, path27.resolve(cwd, file));
        if (rel2.startsWith("..") || path27.isAbsolute(rel2))
          throw new GitError(`'${file}' is outside this repository (${this.paths.workTree})`);
        return rel2.split(path27.sep).join("/");
      }
      changesOf(file) {
        return this.byPath.get(file) ?? [];
      }
      /** Who wrote each line of `file` (repository-relative) at `rev` (a commit), or in the work tree. */
      attribute(file, rev) {
        let lines;
        if (rev) lines = blameFile(this.paths.workTree, file, rev);
        else {
          const full = path27.join(this.paths.workTree, file);
          if (!fs29.existsSync(full) || !fs29.statSync(full).isFile())
            throw new GitError(`no file '${file}' in the work tree`);
          lines = blameFile(this.paths.workTree, file, null, fs29.readFileSync(full, "utf8"));
        }
        const names = /* @__PURE__ */ new Set([file, ...lines.map((l) => l.origPath ?? file)]);
        const changes = [...names].flatMap((n2) => this.changesOf(n2));
        return { lines, attributed: attributeLines(lines, changes) };
      }
      blame(file, rev) {
        return this.blameWithText(file, rev).result;
      }
      /** The blame and each line's text (for the plain-text output). */
      blameWithText(file, rev) {
        const sha = rev ? resolveCommit(this.paths.workTree, rev) : null;
        const { lines, attributed } = this.attribute(file, sha);
        return { result: { file, rev: sha, lines: attributed.map(row2) }, texts: lines.map((l) => l.text) };
      }
    };
    emptyCounts = () => ({
      agentLines: 0,
      humanLines: 0,
      unknownLines: 0,
      byAgentType: {},
      byModel: {},
      sessions: []
    });
  }
});

// src/attribution/why.ts
var why_exports = {};
__export(why_exports, {
  sessionCommits: () => sessionCommits,
  whyLine: () => whyLine
});
function sessionCommits(workTree, span, events) {
  const byAgent = /* @__PURE__ */ new Set();
  for (const e of events) {
    if (e.type !== "tool_call" || e.tool !== "Bash") continue;
    const command = e.input?.command;
    if (typeof command !== "string" || !/\bgit\b[^\n]*\bcommit\b/.test(command)) continue;
    const out3 = JSON.stringify(e.output ?? "");
    for (const m of out3.matchAll(/\[[^\]\s]+(?: \([^)]*\))? ([0-9a-f]{7,40})\]/g)) {
      try {
        byAgent.add(runGit2(workTree, ["rev-parse", "--verify", "--quiet", `${m[1]}^{commit}`]).trim());
      } catch {
      }
    }
  }
  const out2 = /* @__PURE__ */ new Map();
  const until = span.ended;
  if (span.started) {
    const rows2 = runGit2(workTree, [
      "log",
      "--exclude=refs/heads/agent-tracking",
      "--exclude=refs/agent-tracking/*",
      "--all",
      "--reverse",
      // oldest first: commits of the same second keep git's order (the sort below is stable)
      "--format=%H%x00%cI%x00%s",
      `--since=${span.started}`,
      ...until ? [`--until=${until}`] : []
    ]);
    for (const r2 of rows2.split("\n").filter(Boolean)) {
      const [sha, date, subject2] = r2.split("\0");
      out2.set(sha, { sha, subject: subject2, date, byAgent: byAgent.has(sha) });
    }
  }
  for (const sha of byAgent)
    if (!out2.has(sha)) {
      const [date, subject2] = runGit2(workTree, ["log", "-1", "--format=%cI%x00%s", sha]).trim().split("\0");
      out2.set(sha, { sha, subject: subject2, date, byAgent: true });
    }
  return [...out2.values()].sort((a, b) => a.date.localeCompare(b.date));
}
function latestBefore(events, ts, pred) {
  let best = null;
  for (const e of events) if (pred(e) && e.ts <= ts && (!best || e.ts >= best.ts)) best = e;
  return best;
}
async function whyLine(attr, file, line, rev) {
  const sha = rev ? resolveCommit(attr.paths.workTree, rev) : null;
  const { lines, attributed } = attr.attribute(file, sha);
  const i = lines.findIndex((l) => l.line === line);
  if (i < 0) throw new GitError(`'${file}' has ${lines.length} lines; there is no line ${line}`);
  const a = attributed[i];
  const out2 = {
    file,
    line,
    text: lines[i].text,
    kind: a.kind,
    rev: sha,
    commit: null,
    change: null,
    agent: null,
    decision: null,
    prompt: null,
    session: null
  };
  if (a.commit) {
    const [subject2, author, date] = runGit2(attr.paths.workTree, [
      "log",
      "-1",
      "--format=%s%x00%an%x00%aI",
      a.commit
    ]).trim().split("\0");
    out2.commit = { sha: a.commit, subject: subject2, author, date };
  }
  const c = a.change;
  if (!c || !attr.branch) return out2;
  const summary = await attr.branch.findSession(c.session);
  const events = await attr.branch.events(summary);
  const fc = events.find((e) => e.id === c.id);
  const call = c.toolUseId ? events.find((e) => e.type === "tool_call" && e.toolUseId === c.toolUseId) : null;
  out2.change = {
    id: c.id,
    tool: c.tool,
    toolUseId: c.toolUseId,
    operation: c.operation,
    ts: c.ts,
    diff: text(fc?.diff),
    input: call?.input ?? null
  };
  const decisionOf = (useId, agent, ts) => {
    const own2 = useId ? events.find((e) => e.type === "decision" && e.toolUseId === useId) : null;
    const d = own2 ?? latestBefore(events, ts, (e) => e.type === "decision" && e.agent === agent);
    return str7(d?.rationale) ?? str7(d?.text);
  };
  out2.decision = decisionOf(c.toolUseId, c.agent, c.ts);
  let task = null;
  if (c.agent !== "main") {
    const launch = events.find(
      (e) => e.type === "tool_call" && AGENT_TOOLS.has(String(e.tool)) && e.launchedAgent === c.agent
    );
    const useId = str7(launch?.toolUseId);
    const start = useId ? events.find((e) => e.type === "tool_start" && e.toolUseId === useId) : null;
    const input = launch?.input ?? start?.input ?? {};
    const l = start?.launch ?? {};
    task = {
      description: str7(input.description) ?? str7(l.description),
      prompt: text(input.prompt) ?? text(l.prompt),
      launchedBy: launch?.agent ?? null,
      toolUseId: useId,
      decision: launch ? decisionOf(useId, launch.agent, launch.ts) : null
    };
  }
  out2.agent = { id: c.agent, type: c.agentType, model: c.model ?? null, task };
  out2.prompt = text(latestBefore(events, c.ts, (e) => e.type === "prompt")?.text) ?? c.prompt ?? null;
  const handoffPath = `${summary.dir}/handoff.md`;
  const handoff = await attr.branch.readFile(handoffPath);
  out2.session = {
    id: summary.session,
    started: summary.started ?? null,
    ended: summary.ended ?? null,
    branch: summary.branch ?? null,
    head: summary.head ?? null,
    handoffPath: handoff === null ? null : handoffPath,
    handoff,
    commits: sessionCommits(attr.paths.workTree, summary, events)
  };
  return out2;
}
var str7, text;
var init_why = __esm({
  "src/attribution/why.ts"() {
    "use strict";
    init_events2();
    init_git2();
    str7 = (v) => typeof v === "string" ? v : null;
    text = (v) => typeof v === "string" ? v : v && typeof v === "object" && typeof v.head === "string" ? `${v.head}\u2026` : null;
  }
});

// src/attribution/agent-trace.ts
var agent_trace_exports = {};
__export(agent_trace_exports, {
  AGENT_TRACE_VERSION: () => AGENT_TRACE_VERSION,
  modelId: () => modelId,
  traceRecord: () => traceRecord
});
import { createHash as createHash14 } from "node:crypto";
function uuidFor(key) {
  const h = createHash14("sha1").update(`agent-trace:${key}`).digest();
  h[6] = h[6] & 15 | 80;
  h[8] = h[8] & 63 | 128;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
function runs(lines) {
  const out2 = [];
  for (const n2 of [...lines].sort((a, b) => a - b)) {
    const last = out2[out2.length - 1];
    if (last && last[1] === n2 - 1) last[1] = n2;
    else out2.push([n2, n2]);
  }
  return out2;
}
function traceRecord(attr, rev, toolVersion) {
  const sha = resolveCommit(attr.paths.workTree, rev);
  const timestamp = runGit2(attr.paths.workTree, ["log", "-1", "--format=%cI", sha]).trim();
  const tracked = new Set(
    runGit2(attr.paths.workTree, ["-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", sha]).split("\n").filter(Boolean)
  );
  const files = [];
  const names = new Set(attr.changes.map((c) => c.path));
  const renames = runGit2(attr.paths.workTree, [
    "-c",
    "core.quotePath=false",
    "log",
    "-M",
    "--diff-filter=R",
    "--name-status",
    "--format=",
    sha
  ]).split("\n").map((l) => l.split("	")).filter((f) => f.length === 3 && f[0].startsWith("R")).reverse();
  for (const [, from, to] of renames) if (names.has(from)) names.add(to);
  const candidates = [...names].filter((p) => tracked.has(p)).sort();
  for (const file of candidates) {
    const { lines, attributed } = attr.attribute(file, sha);
    const textOf = new Map(lines.map((l) => [l.line, l.text]));
    const groups = /* @__PURE__ */ new Map();
    for (const a of attributed) {
      const key = a.kind === "agent" && a.change ? `ai:${a.change.session}` : "human";
      const g = groups.get(key) ?? { a: [], numbers: [] };
      g.a.push(a);
      g.numbers.push(a.line);
      groups.set(key, g);
    }
    if (![...groups.keys()].some((k) => k.startsWith("ai:"))) continue;
    const conversations = [];
    const rangesOf = (numbers) => runs(numbers).map(([s2, e]) => {
      const body = [];
      for (let n2 = s2; n2 <= e; n2++) body.push(textOf.get(n2) ?? "");
      return {
        start_line: s2,
        end_line: e,
        content_hash: `sha256:${createHash14("sha256").update(body.join("\n")).digest("hex").slice(0, 16)}`
      };
    });
    for (const [key, g] of groups) {
      if (key === "human") {
        conversations.push({ contributor: { type: "human" }, ranges: rangesOf(g.numbers) });
        continue;
      }
      const first = g.a[0].change;
      const model = first.model ?? null;
      const byModel = /* @__PURE__ */ new Map();
      for (const x of g.a) {
        const m = x.change?.model ?? null;
        byModel.set(m, [...byModel.get(m) ?? [], x.line]);
      }
      const ranges = [];
      for (const [m, numbers] of byModel)
        for (const r2 of rangesOf(numbers))
          ranges.push(m && m !== model ? { ...r2, contributor: { type: "ai", model_id: modelId(m) } } : r2);
      ranges.sort((x, y) => x.start_line - y.start_line);
      conversations.push({
        contributor: model ? { type: "ai", model_id: modelId(model) } : { type: "ai" },
        ranges,
        related: [{ type: "session", url: `agent-track:session/${encodeURIComponent(first.session)}` }]
      });
    }
    files.push({ path: file, conversations });
  }
  return {
    version: AGENT_TRACE_VERSION,
    id: uuidFor(sha),
    timestamp,
    vcs: { type: "git", revision: sha },
    tool: { name: "agent-track", version: toolVersion },
    files
  };
}
var AGENT_TRACE_VERSION, modelId;
var init_agent_trace = __esm({
  "src/attribution/agent-trace.ts"() {
    "use strict";
    init_git2();
    AGENT_TRACE_VERSION = "0.1.0";
    modelId = (model) => (model.includes("/") ? model : `anthropic/${model}`).slice(0, 250);
  }
});

// src/attribution/trailers.ts
var trailers_exports = {};
__export(trailers_exports, {
  TRAILER_HOOK_MARKER: () => TRAILER_HOOK_MARKER,
  addTrailers: () => addTrailers,
  installTrailerHook: () => installTrailerHook,
  stagedShare: () => stagedShare,
  trailerLines: () => trailerLines,
  uninstallTrailerHook: () => uninstallTrailerHook
});
import * as fs30 from "node:fs";
import * as path28 from "node:path";
function hookFile(paths) {
  const dir = runGit2(paths.workTree, ["rev-parse", "--git-path", "hooks"]).trim();
  return path28.join(path28.resolve(paths.workTree, dir), HOOK);
}
function installTrailerHook(paths, cli) {
  const file = hookFile(paths);
  const line = `${cli} trailers add "$1" "$2" "$3" || true`;
  if (fs30.existsSync(file) && !fs30.readFileSync(file, "utf8").includes(TRAILER_HOOK_MARKER))
    return {
      file,
      installed: false,
      reason: `${file} is your own hook: add this line to it to get the trailers: ${line}`
    };
  fs30.mkdirSync(path28.dirname(file), { recursive: true });
  fs30.writeFileSync(
    file,
    `#!/bin/sh
${TRAILER_HOOK_MARKER} (Agent-Session, Agent-Lines), while attribution.trailers is true in .agent-tracking.yml
${line}
`,
    { mode: 493 }
  );
  fs30.chmodSync(file, 493);
  return { file, installed: true };
}
function uninstallTrailerHook(paths) {
  const file = hookFile(paths);
  if (!fs30.existsSync(file) || !fs30.readFileSync(file, "utf8").includes(TRAILER_HOOK_MARKER)) return false;
  fs30.rmSync(file);
  return true;
}
async function stagedShare(paths, amend) {
  const wt = paths.workTree;
  let base = EMPTY_TREE;
  try {
    base = runGit2(wt, ["rev-parse", "--verify", "--quiet", amend ? "HEAD^" : "HEAD"]).trim() || EMPTY_TREE;
  } catch {
  }
  const added = parseAddedLines(
    runGit2(wt, [
      "-c",
      "core.quotePath=false",
      "diff",
      "--cached",
      "--no-color",
      "--unified=0",
      "--no-renames",
      "--no-ext-diff",
      base
    ])
  );
  const attr = await Attribution.open(paths);
  const bySession = /* @__PURE__ */ new Map();
  let agentLines = 0;
  let addedLines2 = 0;
  for (const [file, numbers] of added) {
    if (!numbers.length) continue;
    const rows2 = runGit2(wt, ["show", `:${file}`]).split("\n");
    if (rows2[rows2.length - 1] === "") rows2.pop();
    const lines = rows2.map((text2, i) => ({ line: i + 1, text: text2, commit: null, authorTime: null }));
    const want = new Set(numbers);
    for (const a of attributeLines(lines, attr.changesOf(file))) {
      if (!want.has(a.line)) continue;
      addedLines2++;
      if (a.kind !== "agent" || !a.change) continue;
      agentLines++;
      bySession.set(a.change.session, (bySession.get(a.change.session) ?? 0) + 1);
    }
  }
  const sessions = [...bySession].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([s2]) => s2);
  return { agentLines, addedLines: addedLines2, sessions };
}
async function addTrailers(paths, msgFile, source = "", sha = "") {
  if (!(await loadConfig(paths)).attribution.trailers) return [];
  if (source === "merge") return [];
  const share = await stagedShare(paths, source === "commit" && sha === "HEAD");
  const lines = trailerLines(share);
  const text2 = fs30.readFileSync(msgFile, "utf8").split("\n").filter((l) => !/^Agent-(Session|Lines): /.test(l)).join("\n");
  fs30.writeFileSync(msgFile, text2);
  if (!lines.length) return [];
  runGit2(paths.workTree, [
    "interpret-trailers",
    "--in-place",
    ...lines.flatMap((l) => ["--trailer", l]),
    msgFile
  ]);
  return lines;
}
var TRAILER_HOOK_MARKER, HOOK, EMPTY_TREE, trailerLines;
var init_trailers = __esm({
  "src/attribution/trailers.ts"() {
    "use strict";
    init_attribution();
    init_config2();
    init_blame();
    init_git2();
    TRAILER_HOOK_MARKER = "# agent-track: commit trailers";
    HOOK = "prepare-commit-msg";
    EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    trailerLines = (s2) => s2.agentLines ? [
      ...s2.sessions.map((id) => `Agent-Session: ${id}`),
      `Agent-Lines: ${Math.round(100 * s2.agentLines / s2.addedLines)}% (${s2.agentLines}/${s2.addedLines})`
    ] : [];
  }
});

// src/analytics/duckdb-module.ts
var loader, loadDuckDB;
var init_duckdb_module = __esm({
  "src/analytics/duckdb-module.ts"() {
    "use strict";
    loader = () => import("@duckdb/node-api");
    loadDuckDB = () => loader();
  }
});

// src/store/cat.ts
import { spawn as spawn3, spawnSync as spawnSync4 } from "node:child_process";
function catFiles(paths, oids, onBlob) {
  return new Promise((resolve13, reject) => {
    const child = spawn3("git", ["cat-file", "--batch"], {
      cwd: paths.workTree,
      stdio: ["pipe", "pipe", "pipe"]
    });
    let chunks = [];
    let have = 0;
    let i = 0;
    let need = null;
    let failed = false;
    let err = "";
    const flatten = () => {
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, have);
      chunks = [all];
      return all;
    };
    const keep = (rest) => {
      chunks = rest.length ? [rest] : [];
      have = rest.length;
    };
    const fail2 = (e) => {
      failed = true;
      child.kill();
      reject(e);
    };
    child.stderr.on("data", (d) => err += d);
    child.stdout.on("data", (chunk) => {
      if (failed) return;
      chunks.push(chunk);
      have += chunk.length;
      for (; ; ) {
        if (need === null) {
          if (!have) return;
          const all2 = flatten();
          const nl = all2.indexOf(10);
          if (nl < 0) return;
          const header = all2.subarray(0, nl).toString("utf8");
          keep(all2.subarray(nl + 1));
          const size2 = Number(header.split(" ")[2]);
          if (!Number.isFinite(size2)) return fail2(new Error(`git cat-file: ${header}`));
          need = size2;
        }
        if (have < need + 1) return;
        const all = flatten();
        const data = all.subarray(0, need);
        keep(all.subarray(need + 1));
        need = null;
        try {
          onBlob(i++, data);
        } catch (e) {
          return fail2(e);
        }
      }
    });
    child.on("error", reject);
    child.on("close", (code2) => {
      if (failed) return;
      if (code2 === 0 && i === oids.length) resolve13();
      else reject(new Error(`git cat-file failed: ${err.trim()}`));
    });
    child.stdin.end(oids.map((o) => `${o}
`).join(""));
  });
}
function lsTreeBlobs(paths, ref, prefix) {
  const r2 = spawnSync4("git", ["ls-tree", "-r", "-l", "-z", ref, "--", prefix], {
    cwd: paths.workTree,
    maxBuffer: 1 << 30
  });
  if (r2.status !== 0) throw new Error(`git ls-tree failed: ${String(r2.stderr).trim()}`);
  const out2 = [];
  for (const entry of r2.stdout.toString("utf8").split("\0")) {
    const tab = entry.indexOf("	");
    if (tab < 0) continue;
    const [, type, oid, size2] = entry.slice(0, tab).split(/ +/);
    if (type === "blob") out2.push({ oid, path: entry.slice(tab + 1), size: Number(size2) });
  }
  return out2;
}
var init_cat = __esm({
  "src/store/cat.ts"() {
    "use strict";
  }
});

// src/analytics/export.ts
import { spawnSync as spawnSync5 } from "node:child_process";
import { createHash as createHash15 } from "node:crypto";
import * as fs32 from "node:fs";
import * as path30 from "node:path";
function lsTree(paths, ref) {
  const out2 = [];
  const r2 = spawnSync5("git", ["ls-tree", "-r", "-z", ref, "--", "phases"], {
    cwd: paths.workTree,
    maxBuffer: 1 << 30
  });
  if (r2.status !== 0) throw new Error(`git ls-tree failed: ${String(r2.stderr).trim()}`);
  for (const entry of r2.stdout.toString("utf8").split("\0")) {
    const tab = entry.indexOf("	");
    if (tab < 0) continue;
    const [, type, oid] = entry.slice(0, tab).split(" ");
    const p = entry.slice(tab + 1);
    if (type === "blob" && (/\/events\/\d+\.jsonl$/.test(p) || /\/session\.json$/.test(p)))
      out2.push({ oid, path: p });
  }
  return out2;
}
function usageCost(e, prices) {
  const cells = {};
  addUsage(cells, e, usageAgentType(e));
  const s2 = totalSpend(Object.values(cells), prices);
  return s2.unpricedTokens > 0 ? null : s2.units / 1e10;
}
function canonicalSegment(data, agentTypes, prices) {
  let out2 = "";
  for (const line of data.toString("utf8").split("\n")) {
    if (!line.trim()) continue;
    let e;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    for (const c of canonicalEvent(e, agentTypes)) {
      if (c.type === "usage") c.costUsd = usageCost(c, prices);
      out2 += `${JSON.stringify(c)}
`;
    }
  }
  return out2;
}
async function exportBranch(paths, branch) {
  const dir = path30.join(paths.trackingDir, "cache", "jsonl");
  adoptOwnership(paths.commonDir, paths.workTree);
  mkdirOwned(dir);
  const manifestFile2 = path30.join(dir, manifestName);
  let manifest = {};
  try {
    manifest = JSON.parse(fs32.readFileSync(manifestFile2, "utf8"));
  } catch {
    manifest = {};
  }
  const entries = lsTree(paths, TRACKING_REF);
  const reader = entries.length ? branch ?? await TrackingBranch.open(paths) : null;
  const summaries = reader ? await reader.sessions() : [];
  const pricesKey = reader ? hash(JSON.stringify(reader.prices.overrides)) : "";
  const byDir = new Map(summaries.map((s2) => [s2.dir, s2]));
  const folderOf = (p) => p.replace(/\/(events\/\d+\.jsonl|session\.json)$/, "");
  const typesKey = new Map(summaries.map((s2) => [s2.dir, hash(JSON.stringify(s2.agentTypes ?? {}))]));
  const wanted = new Set(entries.map((e) => e.path));
  for (const p of Object.keys(manifest)) {
    if (wanted.has(p)) continue;
    fs32.rmSync(path30.join(dir, p), { force: true });
    delete manifest[p];
  }
  const made = /* @__PURE__ */ new Set();
  const write2 = (p, data) => {
    const file = path30.join(dir, p);
    const parent = path30.dirname(file);
    if (!made.has(parent)) {
      mkdirOwned(parent);
      made.add(parent);
    }
    fs32.writeFileSync(file, data);
    own(file);
  };
  let written = 0;
  for (const e of entries.filter((x) => x.path.endsWith("/session.json"))) {
    const s2 = byDir.get(folderOf(e.path));
    if (!s2) continue;
    const { cells: _cells, errorToolUseIds: _e, failedToolUseIds: _f, ...rest } = s2;
    const text2 = JSON.stringify(rest);
    const key = hash(text2);
    if (manifest[e.path] === key && fs32.existsSync(path30.join(dir, e.path))) continue;
    write2(e.path, text2);
    manifest[e.path] = key;
    written++;
  }
  const segKey = (e) => `${e.oid}:${typesKey.get(folderOf(e.path)) ?? ""}:${pricesKey}`;
  const todo = entries.filter(
    (e) => e.path.endsWith(".jsonl") && (manifest[e.path] !== segKey(e) || !fs32.existsSync(path30.join(dir, e.path)))
  );
  await catFiles(
    paths,
    todo.map((e) => e.oid),
    (i, data) => {
      const e = todo[i];
      write2(e.path, canonicalSegment(data, byDir.get(folderOf(e.path))?.agentTypes ?? {}, reader.prices));
      manifest[e.path] = segKey(e);
    }
  );
  written += todo.length;
  const tmp = `${manifestFile2}.${process.pid}.tmp`;
  fs32.writeFileSync(tmp, JSON.stringify(manifest));
  own(tmp);
  fs32.renameSync(tmp, manifestFile2);
  return {
    dir,
    segments: entries.filter((e) => e.path.endsWith(".jsonl")).length,
    written,
    sessions: entries.filter((e) => e.path.endsWith("/session.json")).length
  };
}
var manifestName, hash;
var init_export = __esm({
  "src/analytics/export.ts"() {
    "use strict";
    init_canonical();
    init_figures();
    init_cat();
    init_owner();
    init_paths();
    init_reader();
    manifestName = "manifest.json";
    hash = (s2) => createHash15("sha1").update(s2).digest("hex").slice(0, 16);
  }
});

// src/analytics/duckdb.ts
var duckdb_exports = {};
__export(duckdb_exports, {
  openAnalytics: () => openAnalytics,
  openDuckDB: () => openDuckDB,
  sqlNumber: () => sqlNumber,
  sqlString: () => sqlString,
  viewStatements: () => viewStatements
});
import * as fs33 from "node:fs";
import * as path31 from "node:path";
function viewStatements(dir, empty) {
  const events = empty.events ? path31.join(dir, "empty.jsonl") : path31.join(dir, "phases", "*", "sessions", "*", "events", "*.jsonl");
  const sessions = empty.sessions ? path31.join(dir, "empty.jsonl") : path31.join(dir, "phases", "*", "sessions", "*", "session.json");
  const src = `read_json(${sqlString(events)}, format = 'newline_delimited', columns = ${columns(EVENT_COLUMNS)}, filename = true)`;
  return [
    // each event once (a fact two paths reported has one id); canonical fields (export.ts)
    `CREATE OR REPLACE VIEW events AS
       SELECT * EXCLUDE (ts, filename), TRY_CAST(ts AS TIMESTAMPTZ) AS ts,
              regexp_extract(filename, 'phases/([^/]+)/sessions/', 1) AS phase
       FROM ${src}
       -- the same fact recorded twice in one segment (the hook's and the transcript's): the fuller
       -- record, and always the same one, so an unchanged phase exports the same bytes (lake.ts)
       QUALIFY row_number() OVER (PARTITION BY id ORDER BY filename, durationMs IS NULL, durationMs,
                                  outcome NULLS LAST, ts NULLS LAST) = 1`,
    `CREATE OR REPLACE VIEW sessions AS
       SELECT session, phase, started::TIMESTAMPTZ AS started, lastActivity::TIMESTAMPTZ AS last_activity,
              ended::TIMESTAMPTZ AS ended, endReason AS end_reason, branch, head, models,
              author.name AS author_name, author.email AS author_email, firstPrompt AS first_prompt,
              prompts, agents, toolCalls AS tool_calls, toolFailures AS tool_failures,
              toolRejected AS tool_rejected, toolInterrupted AS tool_interrupted, toolDenied AS tool_denied, toolCascaded AS tool_cascaded, errors,
              fileChanges AS file_changes, tokens.input AS input_tokens, tokens.output AS output_tokens,
              tokens.cacheRead AS cache_read_tokens, tokens.cacheWrite AS cache_write_tokens, costUsd AS cost_usd,
              unpricedTokens AS unpriced_tokens, coalesce(agentTool, 'claude-code') AS agent_tool
       FROM read_json(${sqlString(sessions)}, format = ${empty.sessions ? "'newline_delimited'" : "'auto'"},
              columns = {session: 'VARCHAR', phase: 'VARCHAR', started: 'VARCHAR', lastActivity: 'VARCHAR',
                ended: 'VARCHAR', endReason: 'VARCHAR', branch: 'VARCHAR', head: 'VARCHAR', models: 'VARCHAR[]',
                author: 'STRUCT(name VARCHAR, email VARCHAR)', firstPrompt: 'VARCHAR', prompts: 'BIGINT',
                agents: 'BIGINT', toolCalls: 'BIGINT', toolFailures: 'BIGINT', toolRejected: 'BIGINT',
                toolInterrupted: 'BIGINT', toolDenied: 'BIGINT', toolCascaded: 'BIGINT', errors: 'BIGINT',
                fileChanges: 'BIGINT', tokens: 'STRUCT(input BIGINT, output BIGINT, cacheRead BIGINT, cacheWrite BIGINT)',
                costUsd: 'DOUBLE', unpricedTokens: 'BIGINT', agentTool: 'VARCHAR'})`,
    // one row per call: the hook's and the transcript's record of a failure are one call
    `CREATE OR REPLACE VIEW tool_calls AS
       SELECT id, ts, phase, session, agent, agentType AS agent_type,
              coalesce(agentTool, 'claude-code') AS agent_tool, tool, toolUseId AS tool_use_id,
              outcome = 'success' AS success, outcome, durationMs AS duration_ms, input, output, error
       FROM events WHERE type = 'tool_call'
       QUALIFY row_number() OVER (PARTITION BY session, coalesce(toolUseId, id)
                                  ORDER BY outcome = 'success', durationMs IS NULL, ts, id) = 1`,
    `CREATE OR REPLACE VIEW agents AS
       SELECT s.phase, s.session, s.agent, coalesce(s.agentType, e.agentType) AS agent_type,
              s.ts AS started, e.ts AS ended, date_diff('millisecond', s.ts, e.ts) AS duration_ms,
              e.lastMessage ->> '$' AS outcome
       FROM (SELECT * FROM events WHERE type = 'agent_start') s
       LEFT JOIN (SELECT * FROM events WHERE type = 'agent_end') e USING (session, agent)`,
    `CREATE OR REPLACE VIEW usage AS
       SELECT id, ts, phase, session, agent, coalesce(agentType, 'unknown') AS agent_type,
              coalesce(agentTool, 'claude-code') AS agent_tool, source, model,
              messageId AS message_id, requestId AS request_id,
              tokens.input AS input_tokens, tokens.output AS output_tokens, tokens.cacheRead AS cache_read_tokens,
              tokens.cacheWrite AS cache_write_tokens, tokens.cacheWrite5m AS cache_write_5m_tokens,
              tokens.cacheWrite1h AS cache_write_1h_tokens, costUsd AS cost_usd,
              -- the same cost in integer units of 1e-10 USD (pricing.ts): sums of it are exact
              CAST(round(costUsd * 1e10) AS BIGINT) AS cost_units
       FROM events WHERE type = 'usage'`,
    // one row per failure (refusals and interruptions are outcomes of tool_calls, not errors)
    `CREATE OR REPLACE VIEW errors AS
       SELECT id, ts, phase, session, agent, agentType AS agent_type, source, tool, toolUseId AS tool_use_id,
              coalesce(message ->> '$', error ->> '$') AS message
       FROM events WHERE type = 'error'
       QUALIFY row_number() OVER (PARTITION BY session, coalesce(toolUseId, id) ORDER BY ts, id) = 1`,
    `CREATE OR REPLACE VIEW file_changes AS
       SELECT id, ts, phase, session, agent, toolUseId AS tool_use_id, path, operation, diff
       FROM events WHERE type = 'file_change'`,
    `CREATE OR REPLACE VIEW decisions AS
       SELECT id, ts, phase, session, agent, toolUseId AS tool_use_id, what, rationale, alternatives
       FROM events WHERE type = 'decision'`
  ];
}
async function openAnalytics(paths, branch) {
  const { dir, segments, sessions } = await exportBranch(paths, branch);
  fs33.writeFileSync(path31.join(dir, "empty.jsonl"), "");
  return openDuckDB(viewStatements(dir, { events: segments === 0, sessions: sessions === 0 }));
}
async function openDuckDB(setup) {
  const { DuckDBInstance } = await loadDuckDB();
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  for (const sql of setup) await conn.run(sql);
  return {
    async query(sql) {
      const reader = await conn.runAndReadAll(sql);
      const columns2 = reader.columnNames();
      const ints = reader.columnTypes().map((t) => /INT/.test(t.toString()));
      const rows2 = reader.getRowObjectsJson().map((r2) => {
        columns2.forEach((c, k) => {
          const v = r2[c];
          if (ints[k] && typeof v === "string" && Number.isSafeInteger(Number(v))) r2[c] = Number(v);
        });
        return r2;
      });
      return { columns: columns2, rows: rows2 };
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    }
  };
}
var EVENT_COLUMNS, sqlString, sqlNumber, columns;
var init_duckdb = __esm({
  "src/analytics/duckdb.ts"() {
    "use strict";
    init_duckdb_module();
    init_export();
    EVENT_COLUMNS = {
      id: "VARCHAR",
      ts: "VARCHAR",
      session: "VARCHAR",
      agent: "VARCHAR",
      agentType: "VARCHAR",
      agentTool: "VARCHAR",
      type: "VARCHAR",
      source: "VARCHAR",
      tool: "VARCHAR",
      toolUseId: "VARCHAR",
      success: "BOOLEAN",
      outcome: "VARCHAR",
      durationMs: "DOUBLE",
      input: "JSON",
      output: "JSON",
      error: "JSON",
      message: "JSON",
      text: "JSON",
      path: "VARCHAR",
      operation: "VARCHAR",
      diff: "VARCHAR",
      model: "VARCHAR",
      messageId: "VARCHAR",
      requestId: "VARCHAR",
      tokens: "STRUCT(input BIGINT, output BIGINT, cacheRead BIGINT, cacheWrite BIGINT, cacheWrite5m BIGINT, cacheWrite1h BIGINT)",
      costUsd: "DOUBLE",
      what: "VARCHAR",
      rationale: "VARCHAR",
      alternatives: "JSON",
      launch: "JSON",
      launchedAgent: "VARCHAR",
      agentId: "VARCHAR",
      lastMessage: "JSON",
      reason: "VARCHAR",
      branch: "VARCHAR",
      head: "VARCHAR",
      cwd: "VARCHAR",
      snapshot: "VARCHAR",
      trigger: "VARCHAR"
    };
    sqlString = (s2) => `'${s2.replace(/'/g, "''")}'`;
    sqlNumber = (v) => v === null || v === void 0 ? 0 : Number(v);
    columns = (c) => `{${Object.entries(c).map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(", ")}}`;
  }
});

// src/analytics/render.ts
var render_exports = {};
__export(render_exports, {
  distinctLabels: () => distinctLabels,
  esc: () => esc,
  renderReview: () => renderReview
});
function distinctLabels(labels) {
  const seen = /* @__PURE__ */ new Map();
  const taken = new Set(labels);
  return labels.map((l) => {
    const n2 = (seen.get(l) ?? 0) + 1;
    seen.set(l, n2);
    if (n2 === 1) return l;
    let k = n2;
    while (taken.has(`${l} (${k})`)) k++;
    const out2 = `${l} (${k})`;
    taken.add(out2);
    return out2;
  });
}
function renderReview(r2, sessionCosts2 = []) {
  const out2 = [
    `# Review of ${r2.phase}`,
    "",
    `${r2.sessions} session${r2.sessions === 1 ? "" : "s"}, ${usdText(r2.costUsd, r2.unpricedTokens)}${r2.unpricedModels?.length ? ` (no price for ${r2.unpricedModels.join(", ")})` : ""}; tokens: input ${r2.tokens.input}, output ${r2.tokens.output}, cache read ${r2.tokens.cacheRead}, cache write ${r2.tokens.cacheWrite}; cache hit ratio ${pct(r2.costs.cacheHitRatio)}.`
  ];
  if (r2.previous)
    out2.push(
      "",
      `Against ${esc(r2.previous.phase)}: ${r2.previous.sessions} sessions, ${usdText(r2.previous.costUsd)}, tool failure rate ${pct(r2.previous.toolFailureRate)}.`
    );
  const o = r2.outcomes;
  if (o) {
    const calls = o.success + o.failed + o.rejected + o.denied + o.interrupted + o.cascaded;
    const spent = r2.costs.byOutcome ?? {};
    const part = (n2, what2, k) => n2 ? `${n2} ${what2}${spent[k] ? ` (${usdOf(spent[k]?.costUsd)})` : ""}` : null;
    const plans = r2.tools.find((t) => t.tool === "ExitPlanMode");
    out2.push(
      "",
      `${calls} tool calls: ${[
        part(o.failed, "failed", "failed"),
        part(o.rejected, "declined by the person", "rejected"),
        part(o.denied, "denied by a permission rule", "denied"),
        part(o.interrupted, "interrupted", "interrupted"),
        part(o.cascaded, "cancelled after a sibling call failed", "cascaded")
      ].filter(Boolean).join(", ") || "none failed"}.${plans?.rejected ? ` The person declined ${plans.rejected} of ${plans.calls} plans.` : ""}`
    );
  }
  if (r2.recommendations.length) {
    out2.push("", "## Recommendations", "");
    for (const x of r2.recommendations)
      out2.push(
        `- ${esc(x.text)} (${esc(x.evidence)})${x.sessions?.length ? `; see ${x.sessions.map((id) => `\`${short2(id)}\``).join(", ")}` : ""}`
      );
  }
  if (r2.worked?.length) {
    out2.push("", "## What worked", "");
    for (const w of r2.worked)
      out2.push(
        `- ${esc(w.program ? `${w.tool} \`${w.program}\`` : w.tool)}: "${esc(w.pattern.slice(0, 120))}" fell from ${w.before} to ${w.after}`
      );
  }
  if ((r2.costs.byTool ?? []).length > 1) {
    out2.push(
      "",
      "## Agent CLIs",
      "",
      "| agent CLI | sessions | tokens | cost USD |",
      "| --- | ---: | ---: | ---: |"
    );
    for (const t of r2.costs.byTool ?? [])
      out2.push(`| ${t.tool} | ${t.sessions} | ${t.tokens} | ${usdText(t.costUsd)} |`);
  }
  const models = Object.entries(r2.costs.byModel).filter(([, v]) => v !== null && v > 0);
  if (models.length) {
    out2.push("", "## Cost by model", "", "```mermaid", "pie showData", "  title Cost by model (USD)");
    for (const [m, v] of models) out2.push(`  "${label(m)}" : ${v}`);
    out2.push("```");
  }
  out2.push(
    "",
    "## Agents",
    "",
    "| agent | runs | failures | median ms | tokens | cost USD |",
    "| --- | ---: | ---: | ---: | ---: | ---: |"
  );
  for (const a of r2.agents)
    out2.push(
      `| ${esc(a.type)} | ${a.runs} | ${a.failures} | ${a.medianMs ?? ""} | ${a.tokens} | ${a.costUsd === null ? "unpriced" : a.costUsd} |`
    );
  out2.push("", "## Tools", "");
  if (r2.tools.length) {
    out2.push(
      "```mermaid",
      "xychart-beta",
      '  title "Tool failure rate (%)"',
      `  x-axis [${distinctLabels(r2.tools.map((t) => label(t.tool))).map((l) => `"${l}"`).join(", ")}]`,
      '  y-axis "failure %" 0 --> 100',
      `  bar [${r2.tools.map((t) => Math.round(t.failureRate * 1e3) / 10).join(", ")}]`,
      "```",
      ""
    );
  }
  out2.push(
    "| tool | calls | failed | failure rate | declined | denied | p50 ms | p95 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  );
  for (const t of r2.tools)
    out2.push(
      `| ${esc(t.tool)} | ${t.calls} | ${t.failures} | ${pct(t.failureRate)} | ${t.rejected ?? 0} | ${t.denied ?? 0} | ${t.p50Ms ?? ""} | ${t.p95Ms ?? ""} |`
    );
  if (sessionCosts2.length > 1) {
    const ordered = [...sessionCosts2].sort((a, b) => a.started.localeCompare(b.started));
    const labels = distinctLabels(ordered.map((s2) => `${s2.started.slice(5, 16).replace("T", " ")}`));
    out2.push(
      "",
      "## Cost per session over time (UTC)",
      "",
      "```mermaid",
      "xychart-beta",
      '  title "Cost per session (USD)"',
      `  x-axis [${labels.map((l) => `"${l}"`).join(", ")}]`,
      `  line [${ordered.map((s2) => s2.costUsd).join(", ")}]`,
      "```"
    );
  }
  if (r2.errors.length) {
    out2.push(
      "",
      "## Error patterns",
      "",
      "| tool | cause | count | sessions | retried, worked | cost | first seen (UTC) | last seen (UTC) |",
      "| --- | --- | ---: | ---: | --- | ---: | --- | --- |"
    );
    for (const e of r2.errors)
      out2.push(
        `| ${esc(e.program ? `${e.tool} ${e.program}` : e.tool)} | ${esc(e.pattern.slice(0, 120))} | ${e.count} | ${e.sessions} | ${e.retried ?? 0}, ${e.fixed ?? 0} | ${usdOf(e.costUsd)} | ${e.firstSeen.slice(0, 16).replace("T", " ")} | ${e.lastSeen.slice(0, 16).replace("T", " ")} |`
      );
  }
  if (r2.costs.topSessions.length) {
    out2.push("", "## Most expensive sessions", "");
    for (const s2 of r2.costs.topSessions)
      out2.push(
        `- \`${short2(s2.session)}\`: ${usdText(s2.costUsd)}${s2.why?.length ? `: ${s2.why.join("; ")}` : ""}`
      );
  }
  const cache = (r2.costs.cacheByAgentType ?? []).filter((c) => c.promptTokens > 0);
  if (cache.length) {
    out2.push(
      "",
      "## Cache by agent type",
      "",
      "| agent | prompt tokens | cache hit ratio | saving at 80% |",
      "| --- | ---: | ---: | ---: |"
    );
    for (const c of cache)
      out2.push(`| ${esc(c.type)} | ${c.promptTokens} | ${pct(c.cacheHitRatio)} | ${usdOf(c.savingsUsd)} |`);
  }
  if (r2.costs.cheaperModels.length) {
    out2.push("", "## On a cheaper model", "");
    for (const c of r2.costs.cheaperModels)
      out2.push(
        `- ${esc(c.type)} on ${esc(c.model)}: ${c.costUsd} USD; the same tokens on ${esc(c.cheaperModel)}: ${c.wouldCostUsd} USD`
      );
  }
  out2.push("", `_${COST_NOTE}_`);
  return `${out2.join("\n")}
`;
}
var esc, usdOf, short2, label, pct;
var init_render = __esm({
  "src/analytics/render.ts"() {
    "use strict";
    init_figures();
    esc = (s2) => s2.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
    usdOf = (x) => x === null || x === void 0 ? "unpriced" : `$${x.toFixed(2)}`;
    short2 = (id) => id.slice(0, 8);
    label = (s2) => s2.replace(/["\n]/g, "'").slice(0, 40);
    pct = (x) => x === null ? "" : `${Math.round(x * 1e3) / 10}%`;
  }
});

// src/analytics/insights.ts
async function phaseCalls(db, phase2) {
  const P = lit(phase2);
  const { rows: rows2 } = await db.query(
    `WITH c AS (
       SELECT session, agent, coalesce(agent_type, 'unknown') AS agent_type, tool, ts, outcome,
              input ->> '$.command' AS command,
              coalesce(input ->> '$.file_path', input ->> '$.notebook_path', input ->> '$.path') AS file,
              coalesce(error ->> '$', '') AS error
       FROM tool_calls WHERE phase = ${P} AND ts IS NOT NULL),
     u AS (
       SELECT session, agent, ts, coalesce(message_id, id) AS response, cost_usd,
              coalesce(input_tokens, 0) + coalesce(output_tokens, 0) + coalesce(cache_read_tokens, 0)
                + coalesce(cache_write_tokens, 0) AS tokens
       FROM usage WHERE phase = ${P} AND ts IS NOT NULL),
     j AS (
       SELECT c.*, u.response, u.cost_usd, u.tokens FROM c
       ASOF LEFT JOIN u ON c.session = u.session AND c.agent = u.agent AND c.ts >= u.ts)
     SELECT session, agent, agent_type, tool, ts::VARCHAR AS ts, outcome, command, file, error,
            tokens / count(*) OVER (PARTITION BY session, agent, response) AS share_tokens,
            cost_usd / count(*) OVER (PARTITION BY session, agent, response) AS share_cost,
            response IS NULL AS unattributed
     FROM j ORDER BY session, agent, ts`
  );
  return rows2.map((r2) => ({
    session: String(r2.session),
    agent: String(r2.agent),
    agentType: String(r2.agent_type),
    tool: String(r2.tool ?? "unknown"),
    program: typeof r2.command === "string" ? programOf(r2.command) : null,
    kind: callKind(String(r2.tool ?? "unknown"), {
      command: r2.command ?? void 0,
      file_path: r2.file ?? void 0
    }),
    ts: String(r2.ts),
    outcome: String(r2.outcome),
    error: String(r2.error ?? ""),
    tokens: r2.unattributed ? 0 : Math.round(num4(r2.share_tokens)),
    // no response before it (a transcript that starts mid-turn): nothing to share; an unpriced model: null
    costUsd: r2.unattributed ? 0 : r2.share_cost === null ? null : num4(r2.share_cost)
  }));
}
function followUpsBySession(calls) {
  const out2 = /* @__PURE__ */ new Map();
  for (let start = 0; start < calls.length; ) {
    let end = start;
    while (end < calls.length && calls[end].session === calls[start].session) end++;
    const slice = calls.slice(start, end);
    const order = slice.map((_, k) => k).sort((a, b) => slice[a].ts.localeCompare(slice[b].ts) || a - b);
    const f = followUps(order.map((k) => slice[k]));
    for (const [k, v] of f)
      out2.set(start + order[k], {
        ...v,
        next: v.next === null ? null : start + order[v.next],
        fixedBy: v.fixedBy === null ? null : start + order[v.fixedBy]
      });
    start = end;
  }
  return out2;
}
function failurePatterns(calls) {
  const groups = /* @__PURE__ */ new Map();
  const follow = followUpsBySession(calls);
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (c.outcome !== "failed") continue;
    const found2 = causeLine(c.error);
    const cause = {
      line: maskLine(found2.line),
      kind: found2.kind === "other" && !c.program ? "tool" : found2.kind
    };
    const key = `${c.tool}\0${c.program ?? ""}\0${cause.line}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        pattern: cause.line,
        key,
        tool: c.tool,
        program: c.program,
        kind: cause.kind,
        count: 0,
        sessions: 0,
        agentTypes: [],
        firstSeen: c.ts,
        lastSeen: c.ts,
        example: c.error.slice(0, 300),
        exampleSessions: [],
        retried: 0,
        fixed: 0,
        next: null,
        tokens: 0,
        costUsd: 0,
        sessionSet: /* @__PURE__ */ new Set(),
        types: /* @__PURE__ */ new Set(),
        nexts: /* @__PURE__ */ new Map(),
        priced: true
      };
      groups.set(key, g);
    }
    g.count++;
    g.sessionSet.add(c.session);
    g.types.add(c.agentType);
    if (c.ts < g.firstSeen) g.firstSeen = c.ts;
    if (c.ts >= g.lastSeen) {
      g.lastSeen = c.ts;
      g.exampleSessions = [c.session, ...g.exampleSessions.filter((s2) => s2 !== c.session)].slice(0, 2);
    }
    const spend = (x) => {
      g.tokens += x.tokens;
      if (x.costUsd === null) g.priced = false;
      else g.costUsd = (g.costUsd ?? 0) + x.costUsd;
    };
    spend(c);
    const f = follow.get(i);
    if (f?.next != null) {
      const n2 = what(calls[f.next]);
      g.nexts.set(n2, (g.nexts.get(n2) ?? 0) + 1);
    }
    if (f?.retried) g.retried++;
    if (f?.fixedBy != null) {
      g.fixed++;
      spend(calls[f.fixedBy]);
    }
  }
  return [...groups.values()].map(({ sessionSet, types, nexts, priced, ...p }) => ({
    ...p,
    sessions: sessionSet.size,
    agentTypes: [...types].sort(),
    next: [...nexts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null,
    costUsd: priced ? round(p.costUsd ?? 0) : p.costUsd ? round(p.costUsd) : null
  })).sort(
    (a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.count - a.count || a.pattern.localeCompare(b.pattern)
  );
}
function spendByOutcome(calls) {
  const out2 = {};
  for (const c of calls) {
    const o = out2[c.outcome] ?? { calls: 0, tokens: 0, costUsd: 0 };
    out2[c.outcome] = o;
    o.calls++;
    o.tokens += c.tokens;
    if (o.costUsd !== null) o.costUsd = c.costUsd === null ? null : o.costUsd + c.costUsd;
  }
  for (const o of Object.values(out2)) if (o.costUsd !== null) o.costUsd = round(o.costUsd);
  return out2;
}
function cacheByAgentType(sessions, prices) {
  const cells = sessions.flatMap((s2) => cellsOf(s2));
  const out2 = [];
  for (const [type] of spendBy(cells, prices, (c) => c.agentType)) {
    const mine = cells.filter((c) => c.agentType === type);
    const input = mine.reduce((a, c) => a + c.tokens.input, 0);
    const read = mine.reduce((a, c) => a + c.tokens.cacheRead, 0);
    const prompt = mine.reduce((a, c) => a + c.tokens.input + c.tokens.cacheRead + c.tokens.cacheWrite, 0);
    const moved = Math.min(input, Math.max(0, TARGET_CACHE_RATIO * prompt - read));
    let saved = 0;
    let priced = true;
    for (const c of mine) {
      const price2 = priceFor(prices, c.model, c.day);
      const share = input ? moved * c.tokens.input / input : 0;
      if (!share) continue;
      if (!price2) {
        priced = false;
        continue;
      }
      const zero = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
      saved += unitsOf(price2, { ...zero, input: share }, c.long, c.fast) - unitsOf(price2, { ...zero, cacheRead: share }, c.long, c.fast);
    }
    out2.push({
      type,
      promptTokens: prompt,
      cacheHitRatio: prompt ? round(read / prompt) : null,
      savingsUsd: priced || saved ? round(unitsToUsd(saved)) : null
    });
  }
  return out2.sort((a, b) => (b.savingsUsd ?? 0) - (a.savingsUsd ?? 0) || b.promptTokens - a.promptTokens);
}
function whyCostly(s2, prices, failureCostUsd) {
  const cells = cellsOf(s2);
  const all = spendBy(cells, prices).get("all");
  const total = all ? unitsToUsd(all.units) : 0;
  if (!total) return [];
  const part = (f) => {
    const sp = spendBy(cells.filter(f), prices).get("all");
    return sp ? unitsToUsd(sp.units) / total : 0;
  };
  const why = [];
  const requests = cells.reduce((a, c) => a + c.requests, 0);
  const prompt = cells.reduce((a, c) => a + c.tokens.input + c.tokens.cacheRead + c.tokens.cacheWrite, 0);
  if (requests)
    why.push(
      `${requests} request${requests === 1 ? "" : "s"} averaging ${Math.round(prompt / requests / 1e3)}k tokens of context`
    );
  const long = part((c) => c.long);
  if (long >= 0.2) why.push(`${Math.round(long * 100)}% in requests over 200k tokens of context`);
  const sub = part((c) => c.agentType !== "main");
  if (sub >= 0.2) why.push(`${Math.round(sub * 100)}% in ${s2.agents} subagent${s2.agents === 1 ? "" : "s"}`);
  if ((s2.compacts ?? 0) > 0) why.push(`${s2.compacts} compaction${s2.compacts === 1 ? "" : "s"}`);
  const fail2 = failureCostUsd / total;
  if (fail2 >= 0.05) why.push(`${Math.round(fail2 * 100)}% on failed calls and their retries`);
  return why;
}
var lit, num4, round, what, TARGET_CACHE_RATIO;
var init_insights = __esm({
  "src/analytics/insights.ts"() {
    "use strict";
    init_causes();
    init_figures();
    init_pricing();
    init_retry();
    init_duckdb();
    lit = sqlString;
    num4 = sqlNumber;
    round = (x, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
    what = (c) => c.program ? `${c.tool} \`${c.program}\`` : c.tool;
    TARGET_CACHE_RATIO = 0.8;
  }
});

// src/analytics/review.ts
import * as os8 from "node:os";
async function rows(db, sql) {
  return (await db.query(sql)).rows;
}
function cheaper(model) {
  const base = priceOf(model);
  if (!base) return null;
  const options = ["claude-haiku-4-5", "claude-sonnet-4-6"].filter(
    (m) => (priceOf(m)?.output ?? Infinity) < base.output && !normalizeModel(model).startsWith(m)
  );
  return options.sort((a, b) => (priceOf(b)?.output ?? 0) - (priceOf(a)?.output ?? 0))[0] ?? null;
}
function crashed(list, crashedAfterMinutes) {
  const ctx = { now: Date.now(), host: os8.hostname(), alive: processAlive, crashedAfterMinutes };
  return list.filter((s2) => sessionStatus(s2, ctx) === "crashed").length;
}
async function buildReview(db, phase2, previousPhase, branch) {
  const P = lit2(phase2);
  const prices = branch.prices;
  const all = await branch.sessions();
  const mine = all.filter((x) => x.phase === phase2);
  const t = totals(mine, prices);
  const tokens = { ...t.tokens };
  const spend = new Map(
    breakdown(mine, "agent", prices).map((r2) => [r2.key, { tokens: r2.totalTokens, costUsd: r2.costUsd }])
  );
  const runRows = await rows(
    db,
    `SELECT coalesce(agent_type, 'unknown') AS type, count(*) AS runs, count(*) FILTER (WHERE ended IS NULL) AS failures,
            median(duration_ms) AS median_ms
     FROM agents WHERE phase = ${P} GROUP BY 1`
  );
  const [mainRun] = await rows(
    db,
    `SELECT median(date_diff('millisecond', started, coalesce(ended, last_activity))) AS median_ms
     FROM sessions WHERE phase = ${P}`
  );
  const runs2 = [
    // a main run fails when its session crashed
    {
      type: "main",
      runs: mine.length,
      failures: crashed(mine, branch.config.recovery.crashedAfterMinutes),
      medianMs: numOrNull(mainRun?.median_ms)
    },
    ...runRows.map((r2) => ({
      type: String(r2.type),
      runs: num5(r2.runs),
      failures: num5(r2.failures),
      medianMs: numOrNull(r2.median_ms)
    }))
  ].filter((r2) => r2.runs > 0);
  const agents = runs2.map((r2) => ({ ...r2, tokens: spend.get(r2.type)?.tokens ?? 0, costUsd: spend.get(r2.type)?.costUsd ?? 0 })).sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || a.type.localeCompare(b.type));
  const tools = (await rows(
    db,
    `SELECT tool, count(*) AS calls, count(*) FILTER (WHERE outcome = 'failed') AS failures,
              count(*) FILTER (WHERE outcome = 'rejected') AS rejected, count(*) FILTER (WHERE outcome = 'denied') AS denied,
              count(*) FILTER (WHERE outcome = 'interrupted') AS interrupted,
              count(*) FILTER (WHERE outcome = 'cascaded') AS cascaded,
              quantile_cont(duration_ms, 0.5) AS p50, quantile_cont(duration_ms, 0.95) AS p95
       FROM tool_calls WHERE phase = ${P} GROUP BY tool ORDER BY calls DESC, tool`
  )).map((r2) => ({
    tool: String(r2.tool),
    calls: num5(r2.calls),
    failures: num5(r2.failures),
    failureRate: num5(r2.calls) ? Math.round(num5(r2.failures) / num5(r2.calls) * 1e4) / 1e4 : 0,
    rejected: num5(r2.rejected),
    denied: num5(r2.denied),
    interrupted: num5(r2.interrupted),
    cascaded: num5(r2.cascaded),
    p50Ms: r2.p50 === null ? null : Math.round(num5(r2.p50) * 100) / 100,
    p95Ms: r2.p95 === null ? null : Math.round(num5(r2.p95) * 100) / 100
  }));
  const calls = await phaseCalls(db, phase2);
  const errors = failurePatterns(calls);
  const outcomes = { success: 0, failed: 0, rejected: 0, denied: 0, interrupted: 0, cascaded: 0 };
  for (const c of calls) if (c.outcome in outcomes) outcomes[c.outcome]++;
  const failureCost = /* @__PURE__ */ new Map();
  for (const c of calls)
    if (c.outcome === "failed" && c.costUsd !== null)
      failureCost.set(c.session, (failureCost.get(c.session) ?? 0) + c.costUsd);
  const byModel = Object.fromEntries(
    Object.entries(t.byModel).sort(([, a], [, b]) => (b.costUsd ?? 0) - (a.costUsd ?? 0)).map(([m, v]) => [m, v.costUsd])
  );
  const topSessions = breakdown(mine, "session", prices).sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || a.key.localeCompare(b.key)).slice(0, 5).map((r2) => {
    const one = mine.find((x) => x.session === r2.key);
    return {
      session: r2.key,
      costUsd: r2.costUsd,
      why: one ? whyCostly(one, prices, failureCost.get(r2.key) ?? 0) : []
    };
  });
  const topAgents = agents.filter((a) => a.type !== "main").slice(0, 5).map((a) => ({ type: a.type, costUsd: a.costUsd }));
  const cells = mine.flatMap((x) => cellsOf(x));
  const cheaperModels = [];
  for (const [key, sp] of spendBy(cells, prices, (c) => `${c.agentType}\0${c.model}`)) {
    const [type, model] = key.split("\0");
    const target2 = cheaper(model);
    const price2 = target2 ? priceFor(prices, target2) : null;
    if (!target2 || !price2 || sp.unpricedTokens > 0) continue;
    const would = cells.filter((c) => c.agentType === type && c.model === model).reduce((a, c) => a + unitsOf(price2, c.tokens, c.long), 0);
    cheaperModels.push({
      type,
      model,
      costUsd: unitsToUsd(sp.units),
      cheaperModel: target2,
      wouldCostUsd: unitsToUsd(would)
    });
  }
  cheaperModels.sort((a, b) => b.costUsd - a.costUsd);
  const promptTokens = tokens.input + tokens.cacheRead + tokens.cacheWrite;
  const review = {
    phase: phase2,
    sessions: t.sessions,
    costUsd: t.costUsd,
    unpricedTokens: t.unpricedTokens,
    unpricedModels: t.unpricedModels,
    tokens,
    agents,
    tools,
    outcomes,
    errors: errors.slice(0, 20),
    worked: [],
    costs: {
      cacheHitRatio: promptTokens ? Math.round(tokens.cacheRead / promptTokens * 1e4) / 1e4 : null,
      byModel,
      byOutcome: spendByOutcome(calls),
      cacheByAgentType: cacheByAgentType(mine, prices),
      byTool: breakdown(mine, "tool", prices).map((r2) => ({
        tool: r2.key,
        sessions: r2.sessions ?? 0,
        tokens: r2.totalTokens,
        costUsd: r2.costUsd
      })),
      topSessions,
      topAgents,
      cheaperModels
    },
    recommendations: []
  };
  if (previousPhase) {
    const p = totals(
      all.filter((x) => x.phase === previousPhase),
      prices
    );
    review.previous = {
      phase: previousPhase,
      sessions: p.sessions,
      costUsd: p.costUsd,
      toolFailureRate: p.toolCalls ? Math.round(p.toolFailures / p.toolCalls * 1e4) / 1e4 : null
    };
    const before = failurePatterns(await phaseCalls(db, previousPhase));
    const now = new Map(errors.map((e) => [e.key, e]));
    for (const e of review.errors) {
      const b = before.find((x) => x.key === e.key);
      if (b) e.previousCount = b.count;
    }
    review.worked = before.filter((b) => b.count >= 2 && (now.get(b.key)?.count ?? 0) * 2 <= b.count).map((b) => ({
      pattern: b.pattern,
      tool: b.tool,
      program: b.program,
      before: b.count,
      after: now.get(b.key)?.count ?? 0
    })).slice(0, 10);
  }
  review.recommendations = recommend(review);
  return review;
}
function changeFor(e) {
  if (/has not been read yet/i.test(e.pattern))
    return 'Add to CLAUDE.md: "Read a file before you Edit or Write it."';
  if (/String to replace not found|matches of the string to replace/i.test(e.pattern))
    return 'Add to CLAUDE.md: "Re-read the lines you edit right before an Edit; give enough context for old_string to be unique."';
  if (/^command not found: (\S+)/.test(e.pattern))
    return `Say in CLAUDE.md how \`${e.pattern.replace(/^command not found: /, "")}\` is run here (a virtualenv, \`npx\`, a make target).`;
  if (e.kind === "test")
    return `Open the example session and fix or quarantine the test; say in CLAUDE.md how to run one test with \`${e.program ?? e.tool}\`.`;
  if (e.kind === "lint")
    return `Have agents run \`${e.program ?? "the linter"}\` before they finish, and state the rule in CLAUDE.md.`;
  if (e.kind === "compile")
    return `Have agents type-check with \`${e.program ?? "the compiler"}\` after each edit of the files involved.`;
  if (e.kind === "shell") return "Say in CLAUDE.md which directory and environment commands run in.";
  return e.program ? `Say in CLAUDE.md how \`${e.program}\` is meant to be used here, or what to use instead.` : `Say in CLAUDE.md how ${e.tool} is meant to be used here.`;
}
function recommend(r2) {
  const out2 = [];
  for (const e of r2.errors) {
    if (e.count < 2 && e.sessions < 2) continue;
    const before = e.previousCount === void 0 ? "" : `; ${e.previousCount} in ${r2.previous?.phase ?? "the previous phase"}`;
    const retry = e.retried ? `; retried ${times(e.retried)}, worked ${e.fixed}` : e.next ? `; next the agent ran ${e.next}` : "";
    out2.push({
      text: `${subject(e)} failed with "${e.pattern.slice(0, 120)}" (${who(e.agentTypes)}). ${changeFor(e)}`,
      evidence: `${times(e.count)} in ${e.sessions} session${e.sessions === 1 ? "" : "s"}${before}${retry}; ${e.tokens} tokens, ${usd(e.costUsd)} on the failures and their retries`,
      sessions: e.exampleSessions,
      savingsUsd: e.costUsd
    });
  }
  for (const c of r2.costs.cacheByAgentType)
    if (c.cacheHitRatio !== null && c.promptTokens > 1e5 && c.cacheHitRatio < 0.5 && (c.savingsUsd ?? 0) >= 0.01)
      out2.push({
        text: `${c.type === "main" ? "Main sessions" : `${c.type} subagents`} read ${Math.round(c.cacheHitRatio * 100)}% of their prompt from the cache: keep sessions going instead of restarting them, and keep CLAUDE.md and the first prompt stable.`,
        evidence: `${c.promptTokens} prompt tokens; at an ${Math.round(0.8 * 100)}% cache hit ratio they would have cost ${usd(c.savingsUsd)} less`,
        sessions: [],
        savingsUsd: c.savingsUsd
      });
  for (const c of r2.costs.cheaperModels)
    if (c.type !== "main" && c.costUsd >= 1 && c.wouldCostUsd <= c.costUsd / 2)
      out2.push({
        text: `Run ${c.type} subagents on ${c.cheaperModel} (set \`model: ${c.cheaperModel.replace(/^claude-/, "").split("-")[0]}\` in the agent's definition).`,
        evidence: `${c.type} on ${c.model} cost ${usd(c.costUsd)}; the same tokens on ${c.cheaperModel} cost ${usd(c.wouldCostUsd)}`,
        sessions: [],
        savingsUsd: Math.round((c.costUsd - c.wouldCostUsd) * 1e4) / 1e4
      });
  for (const a of r2.agents)
    if (a.type !== "main" && a.runs >= 3 && a.failures / a.runs >= 0.3)
      out2.push({
        text: `${a.type} subagents often end without finishing: give them a narrower task or a larger budget.`,
        evidence: `${a.failures} of ${a.runs} runs did not end; ${usd(a.costUsd)} spent by this type`,
        sessions: [],
        savingsUsd: null
      });
  return out2.sort((a, b) => (b.savingsUsd ?? -1) - (a.savingsUsd ?? -1));
}
var num5, numOrNull, lit2, usd, times, who, subject;
var init_review = __esm({
  "src/analytics/review.ts"() {
    "use strict";
    init_figures();
    init_pricing();
    init_session();
    init_duckdb();
    init_insights();
    num5 = sqlNumber;
    numOrNull = (v) => v === null || v === void 0 ? null : Number(v);
    lit2 = sqlString;
    usd = (x) => x === null ? "unpriced" : `$${x < 0.01 && x > 0 ? x.toFixed(4) : x.toFixed(2)}`;
    times = (n2) => `${n2} time${n2 === 1 ? "" : "s"}`;
    who = (types) => types.length === 1 ? types[0] === "main" ? "the main agent" : `${types[0]} subagents` : `${types.length} agent types`;
    subject = (e) => e.program ? `${e.tool} \`${e.program}\`` : e.tool;
  }
});

// src/analytics/phases.ts
var phases_exports = {};
__export(phases_exports, {
  endPhase: () => endPhase,
  listPhases: () => listPhases,
  nextPhaseName: () => nextPhaseName,
  policyEnds: () => policyEnds,
  reviewEndedPhases: () => reviewEndedPhases,
  reviewPhase: () => reviewPhase,
  sessionCosts: () => sessionCosts,
  startPhase: () => startPhase
});
function nextPhaseName(name) {
  const m = /^(.*?)(\d+)$/.exec(name);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${name}-2`;
}
async function branchTree(paths) {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) return null;
  const store = new ObjectStore(paths.commonDir);
  return new TreeEditor(store, (await store.readCommit(tip)).tree);
}
async function listPhases(paths) {
  const branch = await TrackingBranch.open(paths);
  const tree = await branchTree(paths);
  const config = await loadConfig(paths);
  const current = (tree && await currentPhase(tree)) ?? config.phase;
  const sessions = await branch.sessions();
  const out2 = [];
  const names = /* @__PURE__ */ new Set([current]);
  for (const e of (tree && await tree.list("phases")) ?? []) if (e.type === "tree") names.add(e.path);
  for (const name of names) {
    let meta = {};
    try {
      meta = JSON.parse(await branch.readFile(`phases/${name}/phase.json`) ?? "{}");
    } catch {
      meta = {};
    }
    const mine = sessions.filter((s2) => s2.phase === name);
    out2.push({
      name,
      started: meta.started ?? mine[0]?.started ?? null,
      ended: meta.ended ?? null,
      current: name === current,
      sessions: mine.length,
      ...phaseMoney(mine, branch.prices),
      reviewed: Boolean(tree && (await tree.list(`phases/${name}`))?.some((x) => x.path === "review.json")),
      archived: Boolean(tree && (await tree.list(`phases/${name}`))?.some((x) => x.path === "ARCHIVED.json"))
    });
  }
  return out2.sort(
    (a, b) => (a.started ?? "9").localeCompare(b.started ?? "9") || a.name.localeCompare(b.name)
  );
}
async function commitBranchFiles(paths, files, message) {
  await commitWith(paths, {
    events: [],
    verify: [],
    message,
    branchFiles: files.map((f) => ({ path: f.path, content: redactForStore(f.content) }))
  });
}
async function startPhase(paths, name) {
  if (!NAME.test(name)) throw new Error(`'${name}' is not a phase name (letters, digits, '.', '_', '-')`);
  await flushWithTranscripts(paths, { waitMs: 6e4 });
  const phases = await listPhases(paths);
  if (phases.some((p) => p.name === name))
    throw new Error(`phase '${name}' exists already (see \`agent-track phase list\`)`);
  const open = phases.find((p) => p.current && !p.reviewed && p.sessions > 0);
  if (open)
    throw new Error(
      `phase '${open.name}' is open with ${open.sessions} session${open.sessions === 1 ? "" : "s"}; end it first: agent-track phase end --next ${name}`
    );
  const files = [
    { path: `phases/${name}/phase.json`, content: phaseJson(name, (/* @__PURE__ */ new Date()).toISOString(), null) }
  ];
  const current = phases.find((p) => p.current && !p.reviewed);
  if (current && current.started) {
    files.push({
      path: `phases/${current.name}/phase.json`,
      content: phaseJson(current.name, current.started, (/* @__PURE__ */ new Date()).toISOString())
    });
    files.push({ path: `phases/${current.name}/review.json`, content: '{"sessions":0}\n' });
  }
  await commitBranchFiles(
    paths,
    files,
    current?.started ? `agent-track: phase ${current.name} closed, phase ${name} started` : `agent-track: phase ${name} started`
  );
  return (await listPhases(paths)).find((p) => p.name === name);
}
async function reviewPhase(paths, name) {
  await flushWithTranscripts(paths, { waitMs: 6e4 });
  const phases = await listPhases(paths);
  const target2 = name ?? phases.find((p) => p.current)?.name;
  const i = phases.findIndex((p) => p.name === target2);
  if (i < 0) throw new Error(`no phase '${name}' (see \`agent-track phase list\`)`);
  const branch = await TrackingBranch.open(paths);
  const db = await openAnalytics(paths, branch);
  try {
    return await buildReview(db, phases[i].name, i > 0 ? phases[i - 1].name : null, branch);
  } finally {
    db.close();
  }
}
async function sessionCosts(paths, phase2) {
  const branch = await TrackingBranch.open(paths);
  return (await branch.sessions()).filter((s2) => s2.phase === phase2 && s2.started).map((s2) => ({ started: s2.started, costUsd: s2.costUsd ?? 0 }));
}
async function endPhase(paths, opts = {}) {
  const review = opts.review === false ? null : await reviewPhase(paths);
  if (!review) await flushWithTranscripts(paths, { waitMs: 6e4 });
  const phases = await listPhases(paths);
  const cur = phases.find((p) => p.current);
  const next = opts.next ?? nextPhaseName(cur.name);
  if (!NAME.test(next)) throw new Error(`'${next}' is not a phase name (letters, digits, '.', '_', '-')`);
  if (phases.some((p) => p.name === next))
    throw new Error(`phase '${next}' exists already; name the next one with --next`);
  const now = (/* @__PURE__ */ new Date()).toISOString();
  await commitBranchFiles(
    paths,
    [
      ...review ? await reviewFiles(paths, review) : [
        {
          path: `phases/${cur.name}/ended.json`,
          content: `${JSON.stringify({ ended: now }, null, 2)}
`
        }
      ],
      { path: `phases/${cur.name}/phase.json`, content: phaseJson(cur.name, cur.started ?? now, now) },
      { path: `phases/${next}/phase.json`, content: phaseJson(next, now, null) }
    ],
    review ? `agent-track: phase ${cur.name} ended and reviewed (${review.sessions} session${review.sessions === 1 ? "" : "s"}), phase ${next} started` : `agent-track: phase ${cur.name} ended (review left to the Action), phase ${next} started`
  );
  return { ended: cur.name, next, review };
}
function policyEnds(policy, started, now) {
  if (!["manual", "weekly", "monthly"].includes(policy))
    throw new Error(`phase-policy is manual, weekly or monthly, not '${policy}'`);
  if (!started || policy === "manual") return false;
  const start = new Date(started);
  if (policy === "monthly")
    return start.getUTCFullYear() * 12 + start.getUTCMonth() < now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (policy === "weekly") {
    const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    monday.setUTCDate(monday.getUTCDate() - (monday.getUTCDay() + 6) % 7);
    return start < monday;
  }
  return false;
}
async function reviewEndedPhases(paths, policy, now = /* @__PURE__ */ new Date()) {
  let endedNow = null;
  const open = (await listPhases(paths)).find((p) => p.current && !p.reviewed);
  if (open && open.sessions > 0 && policyEnds(policy, open.started, now)) {
    await endPhase(paths, { review: false });
    endedNow = open.name;
  }
  const reviews = [];
  for (const p of await listPhases(paths)) {
    if (p.reviewed || !p.ended || p.archived) continue;
    const review = await reviewPhase(paths, p.name);
    await commitBranchFiles(
      paths,
      await reviewFiles(paths, review),
      `agent-track: review of phase ${p.name} (${review.sessions} session${review.sessions === 1 ? "" : "s"})`
    );
    reviews.push(review);
  }
  return { endedNow, reviews };
}
var NAME, phaseMoney, phaseJson, reviewFiles;
var init_phases = __esm({
  "src/analytics/phases.ts"() {
    "use strict";
    init_collect();
    init_figures();
    init_redact();
    init_config2();
    init_flush();
    init_git();
    init_paths();
    init_reader();
    init_tree();
    init_duckdb();
    init_render();
    init_review();
    NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;
    phaseMoney = (list, prices) => {
      const t = totals(list, prices);
      return { costUsd: t.costUsd, unpricedTokens: t.unpricedTokens };
    };
    phaseJson = (name, started, ended) => `${JSON.stringify({ name, started, ended }, null, 2)}
`;
    reviewFiles = async (paths, review) => [
      { path: `phases/${review.phase}/review.json`, content: `${JSON.stringify(review, null, 2)}
` },
      {
        path: `phases/${review.phase}/review.md`,
        content: renderReview(review, await sessionCosts(paths, review.phase))
      }
    ];
  }
});

// src/cloud/repo-key.ts
import { spawnSync as spawnSync6 } from "node:child_process";
import * as path32 from "node:path";
function repoKeyOfUrl(url) {
  if (!url || /^file:/i.test(url)) return null;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(.+)$/i.exec(url) ?? /^(?:[^@/]+@)?[^:/]+:(?!\/)(.+)$/.exec(url);
  if (!m) return null;
  const parts = m[1].replace(/\/+$/, "").replace(/\.git$/, "").split("/").filter(Boolean).map((p) => clean(p.toLowerCase()));
  if (parts.length >= 2) return `${parts.at(-2)}-${parts.at(-1)}`;
  return parts.length === 1 ? parts[0] : null;
}
function repoKey2(paths, configured2) {
  if (configured2?.trim()) {
    const parts = configured2.trim().replace(/\.git$/, "").split("/").filter(Boolean);
    return parts.map((p) => clean(p.toLowerCase())).join("-");
  }
  const remotes = (git6(paths, ["remote"]) ?? "").split("\n").filter(Boolean);
  const remote = remotes.includes("origin") ? "origin" : remotes.sort()[0];
  if (remote) {
    const key = repoKeyOfUrl(git6(paths, ["config", "--get", `remote.${remote}.url`]) ?? "");
    if (key) return key;
  }
  const roots = (git6(paths, ["rev-list", "--max-parents=0", "HEAD"]) ?? "").split("\n").filter(Boolean);
  if (roots.length) return `local-${roots.sort()[0].slice(0, 12)}`;
  return clean(path32.basename(paths.workTree));
}
var clean, git6;
var init_repo_key = __esm({
  "src/cloud/repo-key.ts"() {
    "use strict";
    clean = (s2) => s2.replace(/[^\w.-]+/g, "_");
    git6 = (paths, args) => {
      const r2 = spawnSync6("git", args, { cwd: paths.workTree, encoding: "utf8" });
      return r2.status === 0 ? r2.stdout.trim() : null;
    };
  }
});

// src/cloud/s3.ts
import { createHash as createHash16 } from "node:crypto";
import * as fs34 from "node:fs";
async function s3Client() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const sdk = await import("@aws-sdk/client-s3");
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || void 0;
  const client = new sdk.S3Client({
    endpoint,
    forcePathStyle: Boolean(endpoint),
    region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1",
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 5
  });
  try {
    await client.config.credentials();
  } catch {
    throw new CredentialsError(
      "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE; in the Action, aws-actions/configure-aws-credentials); AWS_ENDPOINT_URL for an S3-compatible store"
    );
  }
  return { client, sdk };
}
function s3Message(e, bucket) {
  const err = e;
  const status = err.$metadata?.httpStatusCode;
  if (["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"].includes(
    err.name ?? ""
  ) || status === 403)
    return `S3 refused the credentials for bucket ${bucket} (${err.name ?? status}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE, and the bucket's policy`;
  if (err.name === "NoSuchBucket") return `no bucket '${bucket}' (create it, or set archive.bucket)`;
  const text2 = (err.message ?? String(e)).split("\n")[0];
  return `S3 (${bucket}): ${err.name && !text2.includes(err.name) ? `${err.name}: ` : ""}${text2}`;
}
function parseS3Url(url) {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`'${url}' is not an S3 URL (s3://bucket/prefix)`);
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, "") };
}
var CredentialsError, s3Errors, sha256File;
var init_s3 = __esm({
  "src/cloud/s3.ts"() {
    "use strict";
    CredentialsError = class extends Error {
    };
    s3Errors = (bucket) => async (what2) => {
      try {
        return await what2;
      } catch (e) {
        throw new Error(s3Message(e, bucket));
      }
    };
    sha256File = (file) => new Promise((resolve13, reject) => {
      const h = createHash16("sha256");
      fs34.createReadStream(file).on("data", (d) => h.update(d)).on("error", reject).on("end", () => resolve13(h.digest("hex")));
    });
  }
});

// src/cloud/lake.ts
var lake_exports = {};
__export(lake_exports, {
  exportLake: () => exportLake
});
import { spawnSync as spawnSync7 } from "node:child_process";
import { createHash as createHash17 } from "node:crypto";
import * as fs35 from "node:fs";
import * as path33 from "node:path";
async function currentPhases(paths) {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new Error("nothing recorded yet: this clone has no 'agent-tracking' branch");
  const store = new ObjectStore(paths.commonDir);
  const tree = new TreeEditor(store, (await store.readCommit(tip)).tree);
  const phases = /* @__PURE__ */ new Map();
  for (const e of await tree.list("phases") ?? []) {
    if (e.type !== "tree") continue;
    const files = await tree.list(`phases/${e.path}`) ?? [];
    if (files.some((f) => f.path === "ARCHIVED.json")) continue;
    if (!files.some((f) => f.path === "sessions")) continue;
    phases.set(e.path, e.oid);
  }
  return { tip, phases };
}
async function exportLake(paths, opts) {
  const progress2 = opts.onProgress ?? (() => {
  });
  const repo2 = repoKey2(paths, opts.repo);
  const { tip, phases } = await currentPhases(paths);
  for (const name of opts.exclude ?? []) phases.delete(name);
  const result = {
    repo: repo2,
    bucket: opts.bucket,
    prefix: opts.prefix,
    phases: [],
    dryRun: Boolean(opts.dryRun)
  };
  if (!phases.size) return result;
  const c = await s3Client();
  const send = s3Errors(opts.bucket);
  mkdirOwned(paths.trackingDir);
  const work = fs35.mkdtempSync(path33.join(paths.trackingDir, "lake-"));
  progress2("lake: reading the branch");
  const db = await openAnalytics(paths);
  try {
    for (const [phase2, treeOid] of phases) {
      const base = phasePrefix(opts.prefix, repo2, phase2);
      const entry = {
        phase: phase2,
        outcome: "unchanged",
        prefix: base,
        uploaded: 0,
        unchanged: 0,
        bytes: 0,
        rows: {}
      };
      result.phases.push(entry);
      if (await headObject(c, opts.bucket, `${base}/manifest.json`)) {
        entry.outcome = "archived";
        continue;
      }
      progress2(`lake: exporting ${phase2}`);
      const dir = fs35.mkdtempSync(path33.join(work, "phase-"));
      const objects = await exportParquet(db, phase2, base, dir);
      entry.rows = Object.fromEntries(objects.map((o) => [o.view, o.rows]));
      entry.bytes = objects.reduce((a, o) => a + o.bytes, 0);
      const previous = await readLakeMarker(c, opts.bucket, `${base}/${LAKE_MARKER}`);
      const marker = {
        version: 1,
        repo: repo2,
        phase: phase2,
        treeOid,
        tip,
        objects: objects.map((o) => ({
          key: o.key,
          view: o.view,
          rows: o.rows,
          bytes: o.bytes,
          sha256: o.sha256
        }))
      };
      const same = (p) => p !== null && p.objects.length === marker.objects.length && p.objects.every((o, i) => o.key === marker.objects[i].key && o.sha256 === marker.objects[i].sha256);
      const theirEvents = previous?.objects.find((o) => o.view === "events")?.rows ?? 0;
      if (previous && !same(previous) && previous.tip !== tip && !(gitOk(paths, ["cat-file", "-e", `${previous.tip}^{commit}`]) && gitOk(paths, ["merge-base", "--is-ancestor", previous.tip, tip])) && theirEvents >= (entry.rows.events ?? 0)) {
        entry.outcome = "behind";
        continue;
      }
      if (opts.dryRun) {
        entry.outcome = same(previous) ? "unchanged" : "exported";
        entry.unchanged = same(previous) ? objects.length : 0;
        entry.uploaded = objects.length - entry.unchanged;
        continue;
      }
      const up = await uploadObjects(c, opts.bucket, objects, {
        storageClass: () => LAKE_STORAGE_CLASS,
        send,
        progress: (m) => progress2(`lake: ${phase2}: ${m}`)
      });
      entry.uploaded = up.uploaded.length;
      entry.unchanged = up.unchanged.length;
      if (up.uploaded.length || !same(previous)) {
        await writeLakeMarker(c, opts.bucket, `${base}/${LAKE_MARKER}`, marker, send);
        entry.outcome = "exported";
      }
      await verifyAll(c, opts.bucket, objects);
    }
  } finally {
    db.close();
    fs35.rmSync(work, { recursive: true, force: true });
  }
  return result;
}
async function readLakeMarker({ client, sdk }, bucket, key) {
  try {
    const got = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await got.Body.transformToString());
  } catch (e) {
    const name = e.name;
    if (name === "NoSuchKey" || name === "NotFound") return null;
    if (e instanceof SyntaxError) return null;
    throw new Error(s3Message(e, bucket));
  }
}
async function writeLakeMarker({ client, sdk }, bucket, key, marker, send) {
  const body = `${JSON.stringify(marker, null, 2)}
`;
  await send(
    client.send(
      new sdk.PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: "application/json",
        Metadata: { sha256: createHash17("sha256").update(body).digest("hex") }
      })
    )
  );
}
async function verifyAll(c, bucket, objects) {
  for (const o of objects) {
    const h = await headObject(c, bucket, o.key);
    if (!h || h.bytes !== o.bytes || h.sha256 !== o.sha256)
      throw new Error(`s3://${bucket}/${o.key} does not match what was exported; run archive --lake again`);
  }
}
var gitOk;
var init_lake = __esm({
  "src/cloud/lake.ts"() {
    "use strict";
    init_duckdb();
    init_git();
    init_owner();
    init_paths();
    init_tree();
    init_archive();
    init_repo_key();
    init_s3();
    gitOk = (paths, args) => spawnSync7("git", args, { cwd: paths.workTree, stdio: "ignore" }).status === 0;
  }
});

// src/cloud/archive.ts
var archive_exports = {};
__export(archive_exports, {
  LAKE_MARKER: () => LAKE_MARKER,
  LAKE_STORAGE_CLASS: () => LAKE_STORAGE_CLASS,
  VIEWS: () => VIEWS,
  archivablePhases: () => archivablePhases,
  archive: () => archive,
  archivePhase: () => archivePhase,
  exportParquet: () => exportParquet,
  headObject: () => headObject,
  listArchived: () => listArchived,
  parseTar: () => parseTar,
  phasePrefix: () => phasePrefix,
  readMarker: () => readMarker,
  restorePhase: () => restorePhase,
  tipTree: () => tipTree,
  uploadObjects: () => uploadObjects,
  verify: () => verify
});
import { spawn as spawn4 } from "node:child_process";
import { createHash as createHash18 } from "node:crypto";
import * as fs36 from "node:fs";
import * as path34 from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip, gunzipSync } from "node:zlib";
async function exportParquet(db, phase2, base, work) {
  const objects = [];
  const lit3 = `'${phase2.replace(/'/g, "''")}'`;
  for (const view of VIEWS) {
    const file = path34.join(work, `${view}.parquet`);
    const [{ n: n2 }] = (await db.query(`SELECT count(*)::BIGINT AS n FROM ${view} WHERE phase = ${lit3}`)).rows;
    await db.query(
      `COPY (SELECT * FROM ${view} WHERE phase = ${lit3} ORDER BY ${ORDER[view]}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`
    );
    objects.push({
      key: `${base}/${view}/part-0.parquet`,
      kind: "parquet",
      view,
      rows: Number(n2),
      file,
      bytes: fs36.statSync(file).size,
      sha256: await sha256File(file)
    });
  }
  return objects;
}
async function headObject({ client, sdk }, bucket, key) {
  try {
    const h = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      bytes: h.ContentLength ?? 0,
      sha256: h.Metadata?.sha256 ?? null,
      storageClass: h.StorageClass ?? "STANDARD"
    };
  } catch (e) {
    const err = e;
    if (err.name === "NotFound" || err.name === "NoSuchKey" || err.$metadata?.httpStatusCode === 404)
      return null;
    throw new Error(s3Message(e, bucket));
  }
}
async function uploadObjects(c, bucket, objects, opts) {
  const { Upload } = await import("@aws-sdk/lib-storage");
  const uploaded = [];
  const unchanged = [];
  let n2 = 0;
  for (const o of objects) {
    n2++;
    const storageClass = opts.storageClass(o);
    const there = await headObject(c, bucket, o.key);
    if (there && there.bytes === o.bytes && there.sha256 === o.sha256 && there.storageClass === storageClass) {
      unchanged.push(o.key);
      continue;
    }
    opts.progress?.(
      `uploading ${path34.posix.basename(path34.posix.dirname(o.key))}/${path34.posix.basename(o.key)} (${n2}/${objects.length})`
    );
    await opts.send(
      new Upload({
        client: c.client,
        params: {
          Bucket: bucket,
          Key: o.key,
          Body: fs36.createReadStream(o.file),
          StorageClass: storageClass,
          Metadata: { sha256: o.sha256 },
          ContentType: o.kind === "raw" ? "application/gzip" : "application/vnd.apache.parquet"
        },
        partSize: 8 * 1024 * 1024,
        queueSize: 4
      }).done()
    );
    uploaded.push(o.key);
    opts.afterEach?.(n2);
  }
  return { uploaded, unchanged };
}
async function tipTree(paths) {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new Error("nothing recorded yet: this clone has no 'agent-tracking' branch");
  const store = new ObjectStore(paths.commonDir);
  return { tip, tree: new TreeEditor(store, (await store.readCommit(tip)).tree) };
}
async function phaseTreeOid(tree, phase2) {
  return (await tree.list("phases"))?.find((e) => e.path === phase2 && e.type === "tree")?.oid ?? null;
}
async function readMarker(tree, phase2) {
  const text2 = await tree.readFile(`phases/${phase2}/ARCHIVED.json`);
  return text2 ? JSON.parse(text2) : null;
}
async function archivablePhases(paths, keep) {
  const phases = await listPhases(paths);
  const current = phases.findIndex((p) => p.current);
  const { tree } = await tipTree(paths);
  const out2 = [];
  for (const [i, p] of phases.entries()) {
    if (current < 0 || i >= current - keep) continue;
    if (await readMarker(tree, p.name)) continue;
    out2.push(p.name);
  }
  return out2;
}
async function rawTar(paths, tip, phase2, file) {
  const child = spawn4("git", ["archive", "--format=tar", `${tip}:phases/${phase2}`], {
    cwd: paths.workTree,
    stdio: ["ignore", "pipe", "pipe"]
  });
  let err = "";
  child.stderr.on("data", (d) => err += d);
  const done2 = new Promise((r2) => child.on("close", (c) => r2(c ?? 1)));
  await pipeline(child.stdout, createGzip({ level: 6 }), fs36.createWriteStream(file));
  if (await done2 !== 0) throw new Error(`git archive failed: ${err.trim()}`);
}
async function archivePhase(paths, phase2, opts) {
  const progress2 = opts.onProgress ?? (() => {
  });
  const { tip, tree } = await tipTree(paths);
  const treeOid = await phaseTreeOid(tree, phase2);
  if (!treeOid) throw new Error(`no phase '${phase2}' on the agent-tracking branch`);
  const repo2 = repoKey2(paths, opts.repo);
  const base = phasePrefix(opts.prefix, repo2, phase2);
  const manifestKey = `${base}/manifest.json`;
  const { client, sdk } = await s3Client();
  const send = s3Errors(opts.bucket);
  let manifest = null;
  try {
    const got = await client.send(new sdk.GetObjectCommand({ Bucket: opts.bucket, Key: manifestKey }));
    const m = JSON.parse(await got.Body.transformToString());
    if (m.treeOid === treeOid) manifest = m;
  } catch (e) {
    const name = e.name;
    if (name !== "NoSuchKey" && name !== "NotFound") throw new Error(s3Message(e, opts.bucket));
  }
  const resumed = manifest !== null;
  if (!manifest) {
    const work = fs36.mkdtempSync(path34.join(paths.trackingDir, "archive-"));
    try {
      progress2(`${phase2}: exporting Parquet`);
      const db = await openAnalytics(paths);
      let objects;
      try {
        objects = await exportParquet(db, phase2, base, work);
      } finally {
        db.close();
      }
      const rows2 = Object.fromEntries(objects.map((o) => [o.view, o.rows]));
      const raw = path34.join(work, "phase.tar.gz");
      await rawTar(paths, tip, phase2, raw);
      objects.push({
        key: `${base}/raw/phase.tar.gz`,
        kind: "raw",
        file: raw,
        bytes: fs36.statSync(raw).size,
        sha256: await sha256File(raw)
      });
      if (opts.dryRun)
        return {
          phase: phase2,
          manifestKey,
          objects: objects.length + 1,
          bytes: objects.reduce((a, o) => a + o.bytes, 0),
          rawBytes: objects.find((o) => o.kind === "raw").bytes,
          parquetBytes: objects.filter((o) => o.kind === "parquet").reduce((a, o) => a + o.bytes, 0),
          rows: rows2,
          resumed: false
        };
      const parquetClass = opts.lake ? LAKE_STORAGE_CLASS : opts.storageClass;
      await uploadObjects({ client, sdk }, opts.bucket, objects, {
        storageClass: (o) => o.kind === "parquet" ? parquetClass : opts.storageClass,
        send,
        progress: (m) => progress2(`${phase2}: ${m}`),
        afterEach: (n2) => {
          if (fault(`archive-kill-after-${n2}`)) process.kill(process.pid, "SIGKILL");
        }
      });
      await verify(client, sdk, opts.bucket, objects, send);
      manifest = {
        version: 1,
        repo: repo2,
        phase: phase2,
        bucket: opts.bucket,
        prefix: opts.prefix,
        storageClass: opts.storageClass,
        ...opts.lake ? { parquetStorageClass: LAKE_STORAGE_CLASS } : {},
        treeOid,
        tip,
        createdAt: (/* @__PURE__ */ new Date()).toISOString(),
        objects: objects.map(({ file: _f, ...o }) => o),
        rows: rows2
      };
      const body = `${JSON.stringify(manifest, null, 2)}
`;
      const sha = createHash18("sha256").update(body).digest("hex");
      await send(
        client.send(
          new sdk.PutObjectCommand({
            Bucket: opts.bucket,
            Key: manifestKey,
            Body: body,
            ContentType: "application/json",
            Metadata: { sha256: sha }
          })
        )
      );
      await verify(
        client,
        sdk,
        opts.bucket,
        [{ key: manifestKey, bytes: Buffer.byteLength(body), sha256: sha }],
        send
      );
    } finally {
      fs36.rmSync(work, { recursive: true, force: true });
    }
  } else {
    progress2(`${phase2}: a verified manifest is there already (an earlier run); checking its objects`);
    await verify(client, sdk, opts.bucket, manifest.objects, send);
  }
  await client.send(new sdk.DeleteObjectCommand({ Bucket: opts.bucket, Key: `${base}/${LAKE_MARKER}` })).catch(() => {
  });
  if (fault("archive-kill-before-prune")) process.kill(process.pid, "SIGKILL");
  const marker = {
    phase: phase2,
    bucket: opts.bucket,
    prefix: opts.prefix,
    manifestKey,
    treeOid,
    storageClass: manifest.storageClass,
    objects: manifest.objects.length + 1,
    bytes: manifest.objects.reduce((a, o) => a + o.bytes, 0),
    archivedAt: (/* @__PURE__ */ new Date()).toISOString()
  };
  progress2(`${phase2}: pruning it from the branch tip`);
  await editBranch(
    paths,
    `agent-track: archive ${phase2} to s3://${opts.bucket}/${manifestKey}`,
    async (t) => {
      const now = await phaseTreeOid(t, phase2);
      if (now !== treeOid) throw new Error(`phase ${phase2} changed while it was archived; run archive again`);
      for (const e of await t.list(`phases/${phase2}`) ?? [])
        if (!KEPT.has(e.path)) await t.remove(`phases/${phase2}/${e.path}`);
      t.stageFile(`phases/${phase2}/ARCHIVED.json`, redactForStore(`${JSON.stringify(marker, null, 2)}
`));
    }
  );
  return {
    phase: phase2,
    manifestKey,
    objects: marker.objects,
    bytes: marker.bytes,
    rawBytes: manifest.objects.find((o) => o.kind === "raw")?.bytes ?? 0,
    parquetBytes: manifest.objects.filter((o) => o.kind === "parquet").reduce((a, o) => a + o.bytes, 0),
    rows: manifest.rows,
    resumed
  };
}
async function verify(client, sdk, bucket, objects, send) {
  for (const o of objects) {
    const h = await send(client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: o.key })));
    if (h.ContentLength !== o.bytes || h.Metadata?.sha256 !== o.sha256)
      throw new Error(
        `s3://${bucket}/${o.key} does not match what was uploaded (${h.ContentLength} bytes, sha256 ${h.Metadata?.sha256 ?? "missing"}); nothing was pruned`
      );
  }
}
async function archive(paths, opts) {
  const names = await archivablePhases(paths, opts.keep);
  const phases = [];
  for (const name of names) phases.push(await archivePhase(paths, name, opts));
  if (!opts.lake) return { phases, dryRun: Boolean(opts.dryRun) };
  const { exportLake: exportLake2 } = await Promise.resolve().then(() => (init_lake(), lake_exports));
  const exclude = opts.dryRun ? names : [];
  return { phases, dryRun: Boolean(opts.dryRun), lake: await exportLake2(paths, { ...opts, exclude }) };
}
async function listArchived(paths) {
  const { tree } = await tipTree(paths);
  const out2 = [];
  for (const e of await tree.list("phases") ?? []) {
    if (e.type !== "tree") continue;
    const m = await readMarker(tree, e.path);
    if (m) out2.push(m);
  }
  return out2.sort((a, b) => a.archivedAt.localeCompare(b.archivedAt));
}
function parseTar(buf) {
  const out2 = [];
  let at = 0;
  let paxPath = null;
  const str9 = (o, n2) => buf.toString("utf8", o, o + n2).replace(/\0.*$/s, "");
  while (at + 512 <= buf.length) {
    if (buf.subarray(at, at + 512).every((b) => b === 0)) break;
    const name = str9(at, 100);
    const mode = Number.parseInt(str9(at + 100, 8).trim() || "0", 8);
    const size2 = Number.parseInt(str9(at + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(buf[at + 156] || 48);
    const prefix = str9(at + 345, 155);
    const data = buf.subarray(at + 512, at + 512 + size2);
    at += 512 + Math.ceil(size2 / 512) * 512;
    if (type === "x") {
      for (const rec of data.toString("utf8").split("\n")) {
        const m = /^\d+ path=(.*)$/.exec(rec);
        if (m) paxPath = m[1];
      }
      continue;
    }
    if (type === "g") continue;
    const full = paxPath ?? (prefix ? `${prefix}/${name}` : name);
    paxPath = null;
    if (type === "0" || type === "\0") out2.push({ path: full.replace(/^\.\//, ""), mode, data });
  }
  return out2;
}
function buildTree(store, files) {
  const root = { files: [], dirs: /* @__PURE__ */ new Map() };
  for (const f of files) {
    const parts = f.path.split("/").filter(Boolean);
    let d = root;
    for (const p of parts.slice(0, -1)) {
      if (!d.dirs.has(p)) d.dirs.set(p, { files: [], dirs: /* @__PURE__ */ new Map() });
      d = d.dirs.get(p);
    }
    d.files.push({
      mode: f.mode & 73 ? "100755" : "100644",
      path: parts.at(-1),
      oid: store.writeBlobSync(redactBytes(f.data)),
      type: "blob"
    });
  }
  const write2 = (d) => store.writeTreeSync([
    ...d.files,
    ...[...d.dirs].map(([name, sub]) => ({
      mode: "040000",
      path: name,
      oid: write2(sub),
      type: "tree"
    }))
  ]);
  return write2(root);
}
async function restorePhase(paths, phase2, opts = {}) {
  const { tree } = await tipTree(paths);
  const marker = await readMarker(tree, phase2);
  if (!marker) throw new Error(`phase '${phase2}' is not archived (see \`agent-track archive list\`)`);
  const { client, sdk } = await s3Client();
  const send = s3Errors(marker.bucket);
  const manifestObj = await send(
    client.send(new sdk.GetObjectCommand({ Bucket: marker.bucket, Key: marker.manifestKey }))
  );
  const manifest = JSON.parse(await manifestObj.Body.transformToString());
  const raw = manifest.objects.find((o) => o.kind === "raw");
  if (!raw) throw new Error(`the manifest of ${phase2} lists no raw object`);
  const tier = opts.tier ?? "Standard";
  let data;
  try {
    opts.onProgress?.(`${phase2}: downloading ${raw.key}`);
    const got = await client.send(new sdk.GetObjectCommand({ Bucket: marker.bucket, Key: raw.key }));
    data = Buffer.from(await got.Body.transformToByteArray());
  } catch (e) {
    if (e.name !== "InvalidObjectState") throw new Error(s3Message(e, marker.bucket));
    let outcome = "requested";
    try {
      await client.send(
        new sdk.RestoreObjectCommand({
          Bucket: marker.bucket,
          Key: raw.key,
          RestoreRequest: { Days: opts.days ?? 7, GlacierJobParameters: { Tier: tier } }
        })
      );
    } catch (r2) {
      if (r2.name !== "RestoreAlreadyInProgress")
        throw new Error(s3Message(r2, marker.bucket));
      outcome = "in-progress";
    }
    const hours = tier === "Bulk" ? 48 : 12;
    return {
      phase: phase2,
      outcome,
      waiting: [raw.key],
      readyBy: new Date(Date.now() + hours * 36e5).toISOString()
    };
  }
  if (data.length !== raw.bytes || createHash18("sha256").update(data).digest("hex") !== raw.sha256)
    throw new Error(`s3://${marker.bucket}/${raw.key} does not match its manifest; nothing was changed`);
  const store = new ObjectStore(paths.commonDir);
  store.startBatch();
  const oid = buildTree(store, parseTar(gunzipSync(data)));
  await store.endBatch();
  if (oid !== manifest.treeOid)
    throw new Error(
      `the restored files of ${phase2} make tree ${oid}, not the archived ${manifest.treeOid}; nothing was changed`
    );
  await editBranch(
    paths,
    `agent-track: restore ${phase2} from s3://${marker.bucket}/${marker.manifestKey}`,
    async (t) => {
      const later = (await t.list(`phases/${phase2}`) ?? []).filter((e) => KEPT.has(e.path));
      await t.setTree(`phases/${phase2}`, oid);
      const restored = new Set((await t.list(`phases/${phase2}`) ?? []).map((e) => e.path));
      for (const e of later)
        if (!restored.has(e.path))
          t.stageFile(`phases/${phase2}/${e.path}`, redactForStore(await store.readBlob(e.oid)));
    }
  );
  return { phase: phase2, outcome: "restored", waiting: [], readyBy: null };
}
var VIEWS, KEPT, LAKE_STORAGE_CLASS, LAKE_MARKER, ORDER, phasePrefix, fault;
var init_archive = __esm({
  "src/cloud/archive.ts"() {
    "use strict";
    init_duckdb();
    init_phases();
    init_redact();
    init_flush();
    init_git();
    init_paths();
    init_tree();
    init_repo_key();
    init_s3();
    VIEWS = [
      "events",
      "sessions",
      "agents",
      "tool_calls",
      "usage",
      "errors",
      "file_changes",
      "decisions"
    ];
    KEPT = /* @__PURE__ */ new Set(["phase.json", "review.json", "review.md", "ended.json"]);
    LAKE_STORAGE_CLASS = "STANDARD";
    LAKE_MARKER = "lake.json";
    ORDER = {
      events: "id",
      sessions: "session",
      agents: "session, agent, started NULLS FIRST, ended NULLS FIRST",
      tool_calls: "id",
      usage: "id",
      errors: "id",
      file_changes: "id",
      decisions: "id"
    };
    phasePrefix = (prefix, repo2, phase2) => `${prefix ? `${prefix}/` : ""}repo=${repo2}/phase=${phase2}`;
    fault = (name) => process.env.AGENT_TRACK_FAULT === name;
  }
});

// src/store/compact.ts
var compact_exports = {};
__export(compact_exports, {
  alreadyCompacted: () => alreadyCompacted,
  compactBranch: () => compactBranch,
  dropOldHistories: () => dropOldHistories,
  preCompactRefs: () => preCompactRefs
});
import * as fs37 from "node:fs";
import * as path35 from "node:path";
function holdBeforePush() {
  const file = process.env.AGENT_TRACK_HOLD_BEFORE_COMPACT_PUSH;
  if (!file) return;
  fs37.writeFileSync(file, String(process.pid));
  const wait = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 6e4;
  while (fs37.existsSync(file) && Date.now() < until) Atomics.wait(wait, 0, 0, 20);
}
async function countCommits(paths, tip) {
  const r2 = await runGit(paths, ["rev-list", "--count", tip]);
  return r2.code === 0 ? Number(r2.stdout.trim()) : 0;
}
async function alreadyCompacted(paths, tip, manifests) {
  const record = await compactionOf(paths, new ObjectStore(paths.commonDir), tip);
  if (!record) return false;
  const had = new Set(record.manifests.map((m) => `${m.bucket}/${m.manifestKey}/${m.treeOid}`));
  return manifests.every((m) => had.has(`${m.bucket}/${m.manifestKey}/${m.treeOid}`));
}
async function compactBranch(paths, opts) {
  adoptOwnership(paths.commonDir, paths.workTree);
  const store = new ObjectStore(paths.commonDir);
  const maxAttempts = opts.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    let expected = null;
    let push = Boolean(opts.remote);
    if (opts.remote) {
      push = (await pullBranch(paths, opts.remote)).outcome !== "no-remote-branch";
      expected = readRef(paths.commonDir, await remoteTrackingRef(paths, opts.remote));
      if (!expected) {
        const r2 = await runGit(paths, [
          "rev-parse",
          "--verify",
          "--quiet",
          await remoteTrackingRef(paths, opts.remote)
        ]);
        expected = r2.code === 0 ? r2.stdout.trim() : null;
      }
    }
    const release = await acquireMutex(path35.join(paths.trackingDir, "flush.lock"), 12e4);
    if (!release) throw new Error("another flush holds the lock for too long; try again");
    try {
      const tip = readRef(paths.commonDir, TRACKING_REF);
      if (!tip) throw new Error("nothing recorded yet: this clone has no 'agent-tracking' branch");
      if (expected && expected !== tip && (await runGit(paths, ["merge-base", "--is-ancestor", expected, tip])).code !== 0) {
        if (attempt >= maxAttempts) throw new SyncError("the agent-tracking branch keeps moving; try again");
        continue;
      }
      const commit = await store.readCommit(tip);
      const earlier = await compactionOf(paths, store, tip);
      const now = /* @__PURE__ */ new Date();
      const record = {
        version: 1,
        replacedTip: tip,
        compactedAt: now.toISOString(),
        keep: opts.keep,
        manifests: opts.manifests,
        previous: earlier ? [{ replacedTip: earlier.replacedTip, compactedAt: earlier.compactedAt }, ...earlier.previous] : []
      };
      const root = await store.writeCommit(
        commit.tree,
        [],
        compactionMessage(record),
        gitIdentity(paths.workTree)
      );
      let pushed = false;
      if (opts.remote && push) {
        const leaks = rescanOutgoing(paths, root, opts.remote);
        if (leaks.length)
          throw new SyncError(
            `compaction not pushed: what would be sent to ${opts.remote} holds ${leaks.length === 1 ? "a secret" : `${leaks.length} secrets`}; nothing was changed.
${describeFindings(leaks)}`
          );
        if (attempt === 1) holdBeforePush();
        const r2 = await runGit(
          paths,
          [
            "push",
            "--porcelain",
            "--quiet",
            `--force-with-lease=${TRACKING_REF}:${expected ?? ""}`,
            opts.remote,
            `${root}:${TRACKING_REF}`
          ],
          { prompt: opts.prompt }
        );
        if (r2.code !== 0) {
          const said = r2.stdout + r2.stderr;
          if (/stale info|fetch first|non-fast-forward|rejected|failed to update ref|cannot lock ref/i.test(
            said
          )) {
            if (attempt >= maxAttempts)
              throw new SyncError(
                `could not push the compacted ${TRACKING_BRANCH} to ${opts.remote}: it kept moving (${attempt} attempts); nothing was changed`
              );
            continue;
          }
          throw new SyncError(
            `could not push the compacted ${TRACKING_BRANCH} to ${opts.remote}: ${said.trim().split("\n").filter((l) => !l.startsWith("hint:")).join("; ").slice(0, 400)}; nothing was changed locally`
          );
        }
        pushed = true;
      }
      const kept = `${PRE_COMPACT_PREFIX}${stamp(now)}-${tip.slice(0, 8)}`;
      const keep = await runGit(paths, ["update-ref", kept, tip, ""]);
      if (keep.code !== 0)
        throw new Error(`could not keep the old history under ${kept}: ${keep.stderr.trim()}`);
      if (!await updateRefCAS(paths.commonDir, TRACKING_REF, root, tip))
        throw new SyncError(
          `the local ${TRACKING_BRANCH} moved while it was compacted${pushed ? `; ${opts.remote} has the compacted branch: run \`agent-track pull\`` : ""}`
        );
      store.settle();
      await retargetState(paths, tip, root);
      if (pushed && opts.remote)
        await runGit(paths, ["update-ref", await remoteTrackingRef(paths, opts.remote), root]);
      return {
        outcome: "compacted",
        root,
        replacedTip: tip,
        kept,
        pushed,
        remote: opts.remote,
        attempts: attempt,
        replacedCommits: await countCommits(paths, tip)
      };
    } finally {
      release();
    }
  }
}
async function preCompactRefs(paths) {
  const r2 = await runGit(paths, ["for-each-ref", "--format=%(refname) %(objectname)", PRE_COMPACT_PREFIX]);
  return r2.stdout.split("\n").filter(Boolean).map((l) => {
    const [ref, tip] = l.split(" ");
    return { ref, tip };
  }).sort((a, b) => a.ref.localeCompare(b.ref));
}
async function dropOldHistories(paths) {
  const refs = await preCompactRefs(paths);
  for (const { ref } of refs) await runGit(paths, ["update-ref", "-d", ref]);
  return refs.map((r2) => r2.ref);
}
var stamp;
var init_compact = __esm({
  "src/store/compact.ts"() {
    "use strict";
    init_compaction();
    init_flush();
    init_git();
    init_lock();
    init_owner();
    init_paths();
    init_rescan();
    init_sync();
    stamp = (d) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  }
});

// src/cloud/compact.ts
var compact_exports2 = {};
__export(compact_exports2, {
  CompactRefused: () => CompactRefused,
  compact: () => compact,
  verifyForCompaction: () => verifyForCompaction
});
import { createHash as createHash19 } from "node:crypto";
async function verifyPhase(marker) {
  const { client, sdk } = await s3Client();
  const send = s3Errors(marker.bucket);
  const where = `s3://${marker.bucket}/${marker.manifestKey}`;
  let body;
  try {
    const got = await client.send(
      new sdk.GetObjectCommand({ Bucket: marker.bucket, Key: marker.manifestKey })
    );
    body = await got.Body.transformToString();
  } catch (e) {
    const name = e.name;
    if (name === "NoSuchKey" || name === "NotFound") throw new Error(`its manifest ${where} is missing`);
    throw new Error(s3Message(e, marker.bucket));
  }
  const sha = createHash19("sha256").update(body).digest("hex");
  await verify(
    client,
    sdk,
    marker.bucket,
    [{ key: marker.manifestKey, bytes: Buffer.byteLength(body), sha256: sha }],
    send
  );
  let manifest;
  try {
    manifest = JSON.parse(body);
  } catch {
    throw new Error(`its manifest ${where} is not JSON`);
  }
  if (manifest.treeOid !== marker.treeOid)
    throw new Error(
      `its manifest ${where} is of tree ${manifest.treeOid}, not the archived ${marker.treeOid}`
    );
  if (!manifest.objects?.some((o) => o.kind === "raw"))
    throw new Error(`its manifest ${where} lists no raw object (a restore needs it)`);
  try {
    await verify(client, sdk, marker.bucket, manifest.objects, send);
  } catch (e) {
    const msg = e.message.replace(/; nothing was pruned$/, "");
    if (/NotFound|NoSuchKey|404/.test(msg)) {
      for (const o of manifest.objects)
        try {
          await client.send(new sdk.HeadObjectCommand({ Bucket: marker.bucket, Key: o.key }));
        } catch {
          throw new Error(`s3://${marker.bucket}/${o.key} (listed in its manifest) is missing`);
        }
    }
    throw new Error(msg);
  }
  return {
    ref: {
      phase: marker.phase,
      bucket: marker.bucket,
      manifestKey: marker.manifestKey,
      treeOid: marker.treeOid,
      sha256: sha
    },
    objects: manifest.objects.length + 1,
    bytes: manifest.objects.reduce((a, o) => a + o.bytes, 0)
  };
}
async function verifyForCompaction(paths, keep, onProgress = () => {
}) {
  const phases = await listPhases(paths);
  const current = phases.findIndex((p) => p.current);
  const { tree } = await tipTree(paths);
  const problems = [];
  const manifests = [];
  const verified = [];
  for (const [i, p] of phases.entries()) {
    const marker = await readMarker(tree, p.name);
    const old = current >= 0 && i < current - keep;
    if (!marker) {
      if (old) problems.push(`${p.name} is not archived (run \`agent-track archive\` first)`);
      continue;
    }
    onProgress(`${p.name}: verifying s3://${marker.bucket}/${marker.manifestKey}`);
    try {
      const v = await verifyPhase(marker);
      manifests.push(v.ref);
      verified.push({ phase: p.name, manifestKey: marker.manifestKey, objects: v.objects, bytes: v.bytes });
    } catch (e) {
      problems.push(`${p.name} is not verified in S3: ${e.message}`);
    }
  }
  if (problems.length)
    throw new CompactRefused(
      `not compacted (nothing was changed): ${problems.join("; ")}. Compaction drops the archived phases from the branch's history, so it needs every one of them verified in S3.`
    );
  return { manifests, phases: verified };
}
async function compact(paths, opts) {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new CompactRefused("nothing recorded yet: this clone has no 'agent-tracking' branch");
  const { manifests, phases } = await verifyForCompaction(paths, opts.keep, opts.onProgress);
  if (!manifests.length)
    return {
      outcome: "nothing",
      reason: "no phase is archived: the history holds nothing S3 has",
      phases,
      tip
    };
  if (await alreadyCompacted(paths, tip, manifests))
    return {
      outcome: "nothing",
      reason: "already compacted: no phase was archived since the last compaction",
      phases,
      tip
    };
  opts.onProgress?.("writing the new root");
  const r2 = await compactBranch(paths, {
    manifests,
    keep: opts.keep,
    remote: opts.remote,
    prompt: opts.prompt
  });
  return { ...r2, phases };
}
var CompactRefused;
var init_compact2 = __esm({
  "src/cloud/compact.ts"() {
    "use strict";
    init_phases();
    init_compact();
    init_paths();
    init_archive();
    init_s3();
    CompactRefused = class extends Error {
    };
  }
});

// cli/compact.ts
var compact_exports3 = {};
__export(compact_exports3, {
  compactRemote: () => compactRemote,
  describeCompact: () => describeCompact,
  registerCompact: () => registerCompact,
  runCompact: () => runCompact
});
async function compactRemote(paths, push, remote) {
  if (!push) return null;
  const { isRemoteName: isRemoteName2 } = await Promise.resolve().then(() => (init_sync(), sync_exports));
  const name = remote ?? (await loadConfig(paths)).tracking.remote;
  if (await isRemoteName2(paths, name)) return name;
  return /^[\w.-]+$/.test(name) ? null : name;
}
async function runCompact(paths, opts) {
  const { compact: compact2 } = await Promise.resolve().then(() => (init_compact2(), compact_exports2));
  try {
    return await compact2(paths, { ...opts, onProgress: progress });
  } finally {
    done();
  }
}
function describeCompact(r2) {
  if (r2.outcome === "nothing") return `nothing to compact: ${r2.reason}`;
  return [
    `compacted agent-tracking: new root ${r2.root.slice(0, 7)} with the tree of ${r2.replacedTip.slice(0, 7)}; ${r2.replacedCommits} commit${r2.replacedCommits === 1 ? "" : "s"} of history replaced, relying on ${r2.phases.length} archived phase${r2.phases.length === 1 ? "" : "s"} verified in S3 (${r2.phases.map((p) => p.phase).join(", ")})`,
    r2.pushed ? `pushed to ${r2.remote} with --force-with-lease (other clones replay their new sessions on it at their next pull or push)` : r2.remote ? `not pushed: ${r2.remote} has no agent-tracking branch yet` : "not pushed (--no-push, or no remote)",
    `the old history is kept under ${r2.kept}; remove it with \`agent-track compact --drop-old\` (or git update-ref -d ${r2.kept}), then git gc`
  ].join("\n");
}
function registerCompact(program2, { repo: repo2, print: print2, fail: fail2 }) {
  program2.command("compact").description(
    "give the agent-tracking branch a new root holding only its tip, once every phase older than --keep is archived and verified in S3; the old history stays under a local ref"
  ).option("--keep <n>", "phases kept on the branch behind the current one (default: archive.keep, 2)").option("--remote <remote>", "where to push the new root (default: tracking.remote)").option("--no-push", "compact this clone only (push later with git push --force-with-lease)").option(
    "--drop-old",
    "remove the refs that keep replaced histories (refs/agent-tracking/pre-compact/*) and do nothing else"
  ).option("--json", "print the result as JSON").action(
    async (opts) => {
      const paths = repo2();
      if (opts.dropOld) {
        const { dropOldHistories: dropOldHistories2 } = await Promise.resolve().then(() => (init_compact(), compact_exports));
        const dropped = await dropOldHistories2(paths);
        if (opts.json) return print2({ dropped });
        return print2(
          dropped.length ? `removed ${dropped.join(", ")}; \`git gc --prune=now\` frees their space` : "no replaced history is kept"
        );
      }
      const config = (await loadConfig(paths)).archive;
      const keep = opts.keep === void 0 ? config.keep : Number(opts.keep);
      if (!Number.isInteger(keep) || keep < 0)
        fail2(`--keep takes a whole number of phases, not '${opts.keep}'`);
      const { CompactRefused: CompactRefused2 } = await Promise.resolve().then(() => (init_compact2(), compact_exports2));
      try {
        const r2 = await runCompact(paths, {
          keep,
          remote: await compactRemote(paths, opts.push, opts.remote),
          prompt: true
        });
        print2(opts.json ? r2 : describeCompact(r2));
      } catch (e) {
        if (e instanceof CompactRefused2) fail2(e.message);
        throw e;
      }
    }
  );
}
var progress, done;
var init_compact3 = __esm({
  "cli/compact.ts"() {
    "use strict";
    init_config2();
    progress = (m) => {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1B[K${m}`);
    };
    done = () => {
      if (process.stderr.isTTY) process.stderr.write("\r\x1B[K");
    };
  }
});

// src/cloud/drive.ts
var drive_exports = {};
__export(drive_exports, {
  DEFAULT_ROOT_NAME: () => DEFAULT_ROOT_NAME,
  DriveClient: () => DriveClient,
  DriveCredentialsError: () => DriveCredentialsError,
  DriveError: () => DriveError,
  FOLDER_MIME: () => FOLDER_MIME,
  OAUTH_ENV: () => OAUTH_ENV,
  Retrier: () => Retrier,
  archivedRecord: () => archivedRecord,
  backupToDrive: () => backupToDrive,
  driveCredentials: () => driveCredentials,
  driveMessage: () => driveMessage,
  openDrive: () => openDrive,
  repoFolderName: () => repoFolderName
});
import { spawnSync as spawnSync8 } from "node:child_process";
import { createHash as createHash20 } from "node:crypto";
import * as path36 from "node:path";
import { Readable } from "node:stream";
function driveCredentials(env, sharedDriveId) {
  const [id, secret, token] = OAUTH_ENV.map((k) => env[k]?.trim() || "");
  if (id || secret || token) {
    const missing = OAUTH_ENV.filter((k) => !env[k]?.trim());
    if (missing.length)
      throw new DriveCredentialsError(
        `incomplete Google Drive credentials: ${missing.join(", ")} not set (agent-track auth drive makes a refresh token)`
      );
    return { kind: "oauth", clientId: id, clientSecret: secret, refreshToken: token };
  }
  const file = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (file) {
    if (!sharedDriveId)
      throw new DriveCredentialsError(
        "a service account has no Drive storage quota of its own: set backup.sharedDriveId in .agent-tracking.yml (or --shared-drive ID) to a Shared Drive the service account is a member of, or use an OAuth refresh token (AGENT_TRACK_DRIVE_REFRESH_TOKEN)"
      );
    return { kind: "service-account", file };
  }
  throw new DriveCredentialsError(
    `no Google Drive credentials: set ${OAUTH_ENV.join(", ")} (agent-track auth drive makes the refresh token), or GOOGLE_APPLICATION_CREDENTIALS with backup.sharedDriveId for a service account`
  );
}
function repoFolderName(paths) {
  const r2 = spawnSync8("git", ["config", "--get", "remote.origin.url"], {
    cwd: paths.workTree,
    encoding: "utf8"
  });
  const url = r2.status === 0 ? r2.stdout.trim() : "";
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(.+)$/i.exec(url) ?? /^(?:[^@/]+@)?[^:/]+:(?!\/)(.+)$/.exec(url);
  const clean2 = (s2) => s2.replace(/[^\w.-]+/g, "_");
  if (m && !/^file:/i.test(url)) {
    const parts = m[1].replace(/\/+$/, "").replace(/\.git$/, "").split("/").filter(Boolean);
    if (parts.length >= 2) return `${clean2(parts.at(-2))}-${clean2(parts.at(-1))}`;
    if (parts.length === 1) return clean2(parts[0]);
  }
  return clean2(path36.basename(paths.workTree));
}
function archivedRecord(paths, phase2) {
  const r2 = spawnSync8("git", ["cat-file", "blob", `${TRACKING_REF}:phases/${phase2}/ARCHIVED.json`], {
    cwd: paths.workTree,
    encoding: "utf8"
  });
  if (r2.status !== 0) return null;
  try {
    const j = JSON.parse(r2.stdout);
    return j && j.phase === phase2 && typeof j.manifestKey === "string" && typeof j.bucket === "string" ? j : null;
  } catch {
    return null;
  }
}
function isRetryable(e) {
  if (e instanceof DriveError || e instanceof DriveCredentialsError) return false;
  const status = statusOf2(e);
  if (status === void 0) return true;
  if (status === 429 || status >= 500) return true;
  if (status === 403) {
    const text2 = JSON.stringify(e.response?.data ?? "");
    return /rateLimitExceeded|userRateLimitExceeded/.test(text2);
  }
  return false;
}
function driveMessage(e) {
  const err = e;
  const status = statusOf2(e);
  const apiMessage = err.response?.data?.error?.message ?? err.response?.data?.error_description;
  if (status === 401 || /invalid_grant|invalid_client|unauthorized_client/.test(String(err.message)))
    return `Google refused the Drive credentials (${apiMessage ?? err.message}): check ${OAUTH_ENV.join(", ")} (agent-track auth drive makes a new refresh token)`;
  const text2 = (apiMessage ?? err.message ?? String(e)).split("\n")[0];
  return `Google Drive${status ? ` (HTTP ${status})` : ""}: ${text2}`;
}
function mimeOf(file) {
  if (file.endsWith(".json")) return "application/json";
  if (file.endsWith(".jsonl")) return "application/x-ndjson";
  if (file.endsWith(".md")) return "text/markdown";
  return "application/octet-stream";
}
async function openDrive(env, sharedDriveId, credentials) {
  const { drive, auth } = await import("@googleapis/drive");
  const rootUrl = env.AGENT_TRACK_DRIVE_ROOT_URL?.trim() || DEFAULT_ROOT_URL;
  let client;
  let requester;
  if (credentials.kind === "oauth") {
    const tokenUrl = env.AGENT_TRACK_GOOGLE_TOKEN_URL?.trim();
    const oauth = new auth.OAuth2({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      ...tokenUrl ? { endpoints: { oauth2TokenUrl: tokenUrl } } : {}
    });
    oauth.setCredentials({ refresh_token: credentials.refreshToken });
    client = oauth;
    requester = oauth;
  } else {
    const ga = new auth.GoogleAuth({ keyFile: credentials.file, scopes: [SERVICE_ACCOUNT_SCOPE] });
    client = ga;
    requester = await ga.getClient();
  }
  const api = drive({ version: "v3", auth: client, rootUrl, retry: false });
  const baseMs = Number(env.AGENT_TRACK_DRIVE_RETRY_MS);
  return new DriveClient(
    api,
    requester,
    rootUrl,
    sharedDriveId,
    Number.isFinite(baseMs) && baseMs >= 0 ? baseMs : 500
  );
}
async function backupToDrive(paths, opts = {}) {
  const env = opts.env ?? process.env;
  const config = await loadConfig(paths);
  const sharedDriveId = opts.sharedDriveId ?? config.backup.sharedDriveId;
  const folderId = opts.folderId ?? config.backup.driveFolderId;
  const keep = opts.keep ?? config.backup.keep;
  const threshold = opts.resumableThreshold ?? 5 * 1024 * 1024;
  const chunkSize = opts.chunkSize ?? 8 * 1024 * 1024;
  const credentials = driveCredentials(env, sharedDriveId);
  if (!readRef(paths.commonDir, TRACKING_REF))
    throw new DriveError("no agent-tracking branch here yet (agent-track init)");
  const phases = await listPhases(paths);
  const ci = Math.max(
    0,
    phases.findIndex((p) => p.current)
  );
  const keptPhases = phases.slice(Math.max(0, ci - keep), ci + 1).map((p) => p.name);
  const repoFolder = repoFolderName(paths);
  const result = {
    uploaded: 0,
    updated: 0,
    unchanged: 0,
    removedPhases: [],
    keptUnarchived: [],
    bytes: 0,
    phases: keptPhases,
    folder: repoFolder,
    dryRun: Boolean(opts.dryRun),
    ...opts.dryRun ? { wouldUpload: [] } : {}
  };
  const drive = await openDrive(env, sharedDriveId, credentials);
  const dry = Boolean(opts.dryRun);
  try {
    const parentOfRoot = sharedDriveId ?? "root";
    let rootId = folderId;
    if (!rootId) {
      rootId = await drive.findFolder(parentOfRoot, DEFAULT_ROOT_NAME);
      if (!rootId && !dry) rootId = await drive.createFolder(parentOfRoot, DEFAULT_ROOT_NAME);
    }
    let repoId = rootId ? await drive.findFolder(rootId, repoFolder) : null;
    if (!repoId && rootId && !dry) repoId = await drive.createFolder(rootId, repoFolder);
    const phaseFolders = /* @__PURE__ */ new Map();
    if (repoId) {
      for (const f of await drive.list(repoId, { folders: true }))
        if (!phaseFolders.has(f.name)) phaseFolders.set(f.name, f.id);
    }
    const plan = [];
    const folderIds = /* @__PURE__ */ new Map();
    for (const phase2 of keptPhases) {
      const prefix = `phases/${phase2}/`;
      const blobs = lsTreeBlobs(paths, TRACKING_REF, prefix);
      const phaseId = phaseFolders.get(phase2);
      const remote = phaseId ? await drive.walk(phaseId) : /* @__PURE__ */ new Map();
      if (phaseId) folderIds.set(`${phase2}/`, phaseId);
      for (const [rel2, e] of remote) if (rel2.endsWith("/")) folderIds.set(`${phase2}/${rel2}`, e.id);
      const sums = [];
      await catFiles(
        paths,
        blobs.map((b) => b.oid),
        (i, data) => {
          sums[i] = md5(data);
        }
      );
      blobs.forEach((blob, i) => {
        const rel2 = blob.path.slice(prefix.length);
        const there = remote.get(rel2);
        if (there && there.md5Checksum === sums[i]) result.unchanged++;
        else plan.push({ phase: phase2, rel: rel2, blob, existingId: there?.id });
      });
    }
    if (dry) {
      for (const p of plan) {
        result.wouldUpload.push(`${p.phase}/${p.rel}`);
        if (p.existingId) result.updated++;
        else result.uploaded++;
        result.bytes += p.blob.size;
      }
    } else {
      const ensureFolder = async (dir) => {
        const known = folderIds.get(dir);
        if (known) return known;
        const parts = dir.slice(0, -1).split("/");
        const parent = parts.length === 1 ? repoId : await ensureFolder(`${parts.slice(0, -1).join("/")}/`);
        const id = await drive.createFolder(parent, parts.at(-1));
        folderIds.set(dir, id);
        return id;
      };
      const totalFiles = plan.length;
      let done2 = 0;
      for (let s2 = 0; s2 < plan.length; ) {
        let size2 = 0;
        let e = s2;
        while (e < plan.length && (e === s2 || size2 + plan[e].blob.size <= 32 * 1024 * 1024))
          size2 += plan[e++].blob.size;
        const batch = plan.slice(s2, e);
        const datas = [];
        await catFiles(
          paths,
          batch.map((p) => p.blob.oid),
          (i, data) => {
            datas[i] = Buffer.from(data);
          }
        );
        for (const [i, p] of batch.entries()) {
          const name = path36.posix.basename(p.rel);
          const dir = path36.posix.dirname(p.rel);
          const parentId = await ensureFolder(dir === "." ? `${p.phase}/` : `${p.phase}/${dir}/`);
          const data = datas[i];
          if (data.length > threshold)
            await drive.resumableUpload(data, name, parentId, p.existingId, chunkSize);
          else await drive.simpleUpload(data, name, parentId, p.existingId);
          if (p.existingId) result.updated++;
          else result.uploaded++;
          result.bytes += data.length;
          opts.onProgress?.({ files: ++done2, totalFiles, bytes: result.bytes });
        }
        s2 = e;
      }
    }
    const kept = new Set(keptPhases);
    for (const [name, id] of phaseFolders) {
      if (kept.has(name)) continue;
      if (archivedRecord(paths, name)) {
        if (!dry) await drive.delete(id);
        result.removedPhases.push(name);
      } else result.keptUnarchived.push(name);
    }
  } catch (e) {
    if (e instanceof DriveError || e instanceof DriveCredentialsError) throw e;
    throw new DriveError(driveMessage(e));
  }
  return result;
}
var DriveCredentialsError, DriveError, OAUTH_ENV, FOLDER_MIME, DEFAULT_ROOT_NAME, DEFAULT_ROOT_URL, SERVICE_ACCOUNT_SCOPE, statusOf2, MAX_ATTEMPTS, sleep2, Retrier, md5, q, DriveClient;
var init_drive = __esm({
  "src/cloud/drive.ts"() {
    "use strict";
    init_phases();
    init_cat();
    init_config2();
    init_paths();
    DriveCredentialsError = class extends Error {
    };
    DriveError = class extends Error {
    };
    OAUTH_ENV = [
      "AGENT_TRACK_DRIVE_CLIENT_ID",
      "AGENT_TRACK_DRIVE_CLIENT_SECRET",
      "AGENT_TRACK_DRIVE_REFRESH_TOKEN"
    ];
    FOLDER_MIME = "application/vnd.google-apps.folder";
    DEFAULT_ROOT_NAME = "agent-tracking";
    DEFAULT_ROOT_URL = "https://www.googleapis.com/";
    SERVICE_ACCOUNT_SCOPE = "https://www.googleapis.com/auth/drive";
    statusOf2 = (e) => {
      const err = e;
      const s2 = err?.response?.status ?? err?.status;
      return typeof s2 === "number" ? s2 : void 0;
    };
    MAX_ATTEMPTS = 6;
    sleep2 = (ms) => new Promise((r2) => setTimeout(r2, ms));
    Retrier = class {
      constructor(baseMs = 500) {
        this.baseMs = baseMs;
      }
      baseMs;
      /** Exponential backoff with jitter before attempt `attempt + 1`. */
      delay(attempt) {
        return Math.min(this.baseMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2), 6e4);
      }
      async run(fn) {
        for (let attempt = 1; ; attempt++) {
          try {
            return await fn();
          } catch (e) {
            if (attempt >= MAX_ATTEMPTS || !isRetryable(e)) throw e;
            const retryAfter = Number(
              e.response?.headers?.get?.("retry-after")
            );
            await sleep2(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1e3 : this.delay(attempt));
          }
        }
      }
    };
    md5 = (b) => createHash20("md5").update(b).digest("hex");
    q = (s2) => `'${s2.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    DriveClient = class {
      constructor(api, requester, rootUrl, sharedDriveId, retryBaseMs = 500) {
        this.api = api;
        this.requester = requester;
        this.rootUrl = rootUrl;
        this.sharedDriveId = sharedDriveId;
        this.retry = new Retrier(retryBaseMs);
      }
      api;
      requester;
      rootUrl;
      sharedDriveId;
      retry;
      /** Shared Drive listing: the drive's corpus, with items of all drives. */
      listScope() {
        return this.sharedDriveId ? {
          corpora: "drive",
          driveId: this.sharedDriveId,
          includeItemsFromAllDrives: true,
          supportsAllDrives: true
        } : { corpora: "user", spaces: "drive" };
      }
      async list(parentId, opts = {}) {
        const clauses = [`${q(parentId)} in parents`, "trashed = false"];
        if (opts.name !== void 0) clauses.push(`name = ${q(opts.name)}`);
        if (opts.folders) clauses.push(`mimeType = ${q(FOLDER_MIME)}`);
        const out2 = [];
        let pageToken;
        do {
          const token = pageToken;
          const res = await this.retry.run(
            () => this.api.files.list({
              q: clauses.join(" and "),
              fields: "nextPageToken, files(id, name, mimeType, md5Checksum)",
              pageSize: 1e3,
              pageToken: token,
              ...this.listScope()
            })
          );
          for (const f of res.data.files ?? [])
            if (f.id && f.name)
              out2.push({ id: f.id, name: f.name, mimeType: f.mimeType ?? "", md5Checksum: f.md5Checksum });
          pageToken = res.data.nextPageToken ?? void 0;
        } while (pageToken);
        return out2;
      }
      async findFolder(parentId, name) {
        const found2 = await this.list(parentId, { name, folders: true });
        return found2[0]?.id ?? null;
      }
      async createFolder(parentId, name) {
        let sent = false;
        return this.retry.run(async () => {
          if (sent) {
            const found2 = await this.findFolder(parentId, name);
            if (found2) return found2;
          }
          sent = true;
          const res = await this.api.files.create({
            requestBody: { name, mimeType: FOLDER_MIME, parents: [parentId] },
            fields: "id",
            supportsAllDrives: true
          });
          if (!res.data.id) throw new DriveError(`Drive created folder ${name} without an id`);
          return res.data.id;
        });
      }
      async folder(parentId, name) {
        return await this.findFolder(parentId, name) ?? await this.createFolder(parentId, name);
      }
      /** Every file under a folder, by its path relative to it; folders too (with a trailing slash). */
      async walk(folderId, prefix = "", out2 = /* @__PURE__ */ new Map()) {
        for (const e of await this.list(folderId)) {
          const rel2 = `${prefix}${e.name}`;
          if (e.mimeType === FOLDER_MIME) {
            if (out2.has(`${rel2}/`)) continue;
            out2.set(`${rel2}/`, e);
            await this.walk(e.id, `${rel2}/`, out2);
          } else if (!out2.has(rel2)) out2.set(rel2, e);
        }
        return out2;
      }
      async delete(fileId) {
        await this.retry.run(async () => {
          try {
            await this.api.files.delete({ fileId, supportsAllDrives: true });
          } catch (e) {
            if (statusOf2(e) === 404) return;
            throw e;
          }
        });
      }
      /** A small file in one request: multipart for a new file, media for an update in place. */
      async simpleUpload(data, name, parentId, existingId) {
        const media = () => ({ mimeType: mimeOf(name), body: Readable.from([data]) });
        const options = { rootUrl: this.rootUrl };
        let sent = false;
        const sum = md5(data);
        await this.retry.run(async () => {
          if (existingId) {
            await this.api.files.update(
              { fileId: existingId, media: media(), fields: "id", supportsAllDrives: true },
              options
            );
            return;
          }
          if (sent && (await this.list(parentId, { name })).some((f) => f.md5Checksum === sum)) return;
          sent = true;
          await this.api.files.create(
            { requestBody: { name, parents: [parentId] }, media: media(), fields: "id", supportsAllDrives: true },
            options
          );
        });
      }
      /** A large file as a resumable upload session, in chunks; resumes where Drive says it got to. */
      async resumableUpload(data, name, parentId, existingId, chunkSize) {
        const total = data.length;
        const base = `${this.rootUrl.replace(/\/+$/, "")}/upload/drive/v3/files${existingId ? `/${encodeURIComponent(existingId)}` : ""}`;
        const start = () => this.retry.run(async () => {
          const res = await this.requester.request({
            url: `${base}?uploadType=resumable&supportsAllDrives=true&fields=id`,
            method: existingId ? "PATCH" : "POST",
            headers: {
              "Content-Type": "application/json; charset=UTF-8",
              "X-Upload-Content-Type": mimeOf(name),
              "X-Upload-Content-Length": String(total)
            },
            data: JSON.stringify(existingId ? {} : { name, parents: [parentId] }),
            retry: false
          });
          const location = res.headers.get("location");
          if (!location) throw new DriveError("Drive started an upload session without a Location");
          return location;
        });
        const validateStatus = (s2) => s2 >= 200 && s2 < 300 || s2 === 308;
        const offsetOf = (res) => {
          if (res.status >= 200 && res.status < 300) return total;
          const range = /bytes=0-(\d+)/.exec(res.headers.get("range") ?? "");
          return range ? Number(range[1]) + 1 : 0;
        };
        let session = await start();
        let offset = 0;
        let failures = 0;
        while (offset < total) {
          const end = Math.min(offset + chunkSize, total);
          try {
            const res = await this.requester.request({
              url: session,
              method: "PUT",
              headers: { "Content-Type": mimeOf(name), "Content-Range": `bytes ${offset}-${end - 1}/${total}` },
              data: data.subarray(offset, end),
              validateStatus,
              retry: false
            });
            offset = offsetOf(res);
            failures = 0;
          } catch (e) {
            const status = statusOf2(e);
            if (++failures >= MAX_ATTEMPTS) throw e;
            if (status === 404 || status === 410) {
              session = await start();
              offset = 0;
              continue;
            }
            if (!isRetryable(e)) throw e;
            await sleep2(this.retry.delay(failures));
            try {
              const res = await this.requester.request({
                url: session,
                method: "PUT",
                headers: { "Content-Range": `bytes */${total}` },
                data: "",
                validateStatus,
                retry: false
              });
              offset = offsetOf(res);
            } catch (e2) {
              const s2 = statusOf2(e2);
              if (s2 === 404 || s2 === 410) {
                session = await start();
                offset = 0;
              } else if (!isRetryable(e2)) throw e2;
            }
          }
        }
      }
    };
  }
});

// src/cloud/drive-auth.ts
var drive_auth_exports = {};
__export(drive_auth_exports, {
  DRIVE_FILE_SCOPE: () => DRIVE_FILE_SCOPE,
  driveLoopbackAuth: () => driveLoopbackAuth,
  pkcePair: () => pkcePair
});
import { spawn as spawn5 } from "node:child_process";
import { createHash as createHash21, randomBytes as randomBytes2 } from "node:crypto";
import * as http from "node:http";
function pkcePair() {
  const verifier = base64url(randomBytes2(48));
  return { verifier, challenge: base64url(createHash21("sha256").update(verifier).digest()) };
}
function openBrowser(url) {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const child = spawn5(cmd, [url], { stdio: "ignore", detached: true });
    child.on("error", () => {
    });
    child.unref();
  } catch {
  }
}
async function driveLoopbackAuth(opts) {
  const env = opts.env ?? process.env;
  const clientId = opts.clientId?.trim() || env.AGENT_TRACK_DRIVE_CLIENT_ID?.trim();
  const clientSecret = opts.clientSecret?.trim() || env.AGENT_TRACK_DRIVE_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret)
    throw new DriveCredentialsError(
      'no OAuth client: pass --client-id and --client-secret (or set AGENT_TRACK_DRIVE_CLIENT_ID and AGENT_TRACK_DRIVE_CLIENT_SECRET) of a Google Cloud OAuth client of type "Desktop app"'
    );
  const { auth } = await import("@googleapis/drive");
  const tokenUrl = env.AGENT_TRACK_GOOGLE_TOKEN_URL?.trim();
  const authUrl = env.AGENT_TRACK_GOOGLE_AUTH_URL?.trim();
  const { verifier, challenge } = pkcePair();
  const state = base64url(randomBytes2(24));
  const timeoutMs = opts.timeoutMs ?? 5 * 6e4;
  const server = http.createServer();
  await new Promise((resolve13, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve13());
  });
  const port = server.address().port;
  const redirectUri = `http://127.0.0.1:${port}/`;
  const client = new auth.OAuth2({
    clientId,
    clientSecret,
    redirectUri,
    endpoints: {
      ...tokenUrl ? { oauth2TokenUrl: tokenUrl } : {},
      ...authUrl ? { oauth2AuthBaseUrl: authUrl } : {}
    }
  });
  const url = client.generateAuthUrl({
    access_type: "offline",
    prompt: "consent",
    scope: [DRIVE_FILE_SCOPE],
    code_challenge_method: "S256",
    code_challenge: challenge,
    state
  });
  try {
    const code2 = await new Promise((resolve13, reject) => {
      const timer = setTimeout(
        () => reject(
          new Error(
            `no answer from the browser within ${Math.round(timeoutMs / 1e3)} s: run agent-track auth drive again and open the printed URL`
          )
        ),
        timeoutMs
      );
      timer.unref();
      server.on("request", (req, res) => {
        const u = new URL(req.url ?? "/", redirectUri);
        const got = u.searchParams;
        if (!got.has("code") && !got.has("error")) {
          res.writeHead(404).end();
          return;
        }
        if (got.get("state") !== state) {
          res.writeHead(400, { "content-type": "text/html" }).end(page("agent-track", "Unknown state; ignored."));
          return;
        }
        clearTimeout(timer);
        if (got.has("error")) {
          res.writeHead(400, { "content-type": "text/html" }).end(page("agent-track", "Authorization was not granted. You can close this tab."));
          reject(new Error(`Google did not grant access: ${got.get("error")}`));
          return;
        }
        res.writeHead(200, { "content-type": "text/html", connection: "close" }).end(page("agent-track", "agent-track is authorized. You can close this tab."));
        resolve13(got.get("code"));
      });
      opts.onUrl(url);
      if (opts.open) openBrowser(url);
    });
    const { tokens } = await client.getToken({ code: code2, codeVerifier: verifier, redirect_uri: redirectUri });
    if (!tokens.refresh_token)
      throw new Error(
        "Google returned no refresh token: remove agent-track from https://myaccount.google.com/permissions and run agent-track auth drive again"
      );
    return { refreshToken: tokens.refresh_token, scope: tokens.scope ?? null };
  } catch (e) {
    const err = e;
    const d = err.response?.data;
    if (d?.error)
      throw new Error(
        `the token exchange failed: ${d.error}${d.error_description ? ` (${d.error_description})` : ""}`
      );
    throw e;
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
}
var DRIVE_FILE_SCOPE, base64url, page;
var init_drive_auth = __esm({
  "src/cloud/drive-auth.ts"() {
    "use strict";
    init_drive();
    DRIVE_FILE_SCOPE = "https://www.googleapis.com/auth/drive.file";
    base64url = (b) => b.toString("base64url");
    page = (title, text2) => `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${text2}</p>`;
  }
});

// src/dashboard/data.ts
var data_exports = {};
__export(data_exports, {
  dashboardData: () => dashboardData
});
import * as path37 from "node:path";
function lanesOf(root) {
  const out2 = [];
  const walk3 = (n2, depth) => {
    out2.push({
      agent: n2.agent,
      agentType: n2.agentType,
      parent: n2.parent,
      depth,
      description: cut(n2.description, 300),
      started: n2.started,
      ended: n2.ended,
      outcome: cut(n2.outcome, 2e3),
      tokens: n2.tokens.input + n2.tokens.output + n2.tokens.cacheRead + n2.tokens.cacheWrite,
      costUsd: n2.costUsd,
      items: n2.items.map((i) => {
        if (i.kind === "tool")
          return {
            kind: "tool",
            call: {
              ...i.call,
              error: cut(i.call.error, 2e3) ?? void 0,
              rationale: cut(i.call.rationale, 1e3) ?? void 0
            }
          };
        if (i.kind === "file") return { ...i, diff: cut(i.diff, 2e4) ?? "" };
        if (i.kind === "error") return { ...i, message: cut(i.message, 2e3) ?? "" };
        return { ...i, rationale: cut(i.rationale, 1e3) };
      })
    });
    for (const c of n2.children) walk3(c, depth + 1);
  };
  walk3(root, 0);
  return out2;
}
async function dashboardData(paths, opts = {}) {
  const data = {
    generated: (/* @__PURE__ */ new Date()).toISOString(),
    repo: path37.basename(paths.workTree),
    phase: opts.phase ?? null,
    empty: true,
    phases: [],
    sessions: [],
    totals: null,
    daily: [],
    byModel: [],
    byAuthor: [],
    reviews: [],
    timelines: {},
    snapshots: [],
    omittedTimelines: 0
  };
  const branch = await openBranch(paths);
  if (!branch) return data;
  data.phases = await listPhases(paths);
  if (opts.phase && !data.phases.some((p) => p.name === opts.phase))
    throw new Error(`no phase '${opts.phase}' (see \`agent-track phase list\`)`);
  const all = (await branch.sessions()).filter((s2) => !opts.phase || s2.phase === opts.phase);
  if (!all.length) return data;
  data.empty = false;
  const prices = branch.prices;
  data.totals = totals(all, prices);
  const cells = all.flatMap((s2) => cellsOf(s2));
  const tokensOf = (t) => t.input + t.output + t.cacheRead + t.cacheWrite;
  data.daily = [...spendBy(cells, prices, (c) => `${c.day}\0${c.model}`)].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ({
    day: k.split("\0")[0],
    model: k.split("\0")[1],
    costUsd: costUsd(v),
    tokens: tokensOf(v.tokens)
  }));
  data.byModel = [...spendBy(cells, prices, (c) => c.model)].map(([model, v]) => ({ model, costUsd: costUsd(v), tokens: tokensOf(v.tokens), calls: v.requests })).sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0));
  data.byAuthor = breakdown(all, "author", prices).map((r2) => ({ author: r2.key, sessions: r2.sessions ?? 0, costUsd: r2.costUsd, tokens: r2.totalTokens })).sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0));
  const db = await openAnalytics(paths, branch);
  try {
    const names = data.phases.map((p) => p.name);
    for (let i = 0; i < names.length; i++) {
      if (opts.phase && names[i] !== opts.phase) continue;
      if (!all.some((s2) => s2.phase === names[i])) continue;
      data.reviews.push(await buildReview(db, names[i], i > 0 ? names[i - 1] : null, branch));
    }
  } finally {
    db.close();
  }
  const budget2 = opts.timelineBudget ?? 2e6;
  let used = 0;
  const detailed = /* @__PURE__ */ new Set();
  const newest = [...all].sort((a, b) => (b.lastActivity ?? "").localeCompare(a.lastActivity ?? ""));
  for (const s2 of newest) {
    const lanes = lanesOf(buildAgentTree(await branch.events(s2)));
    const bytes = JSON.stringify(lanes).length;
    if (used + bytes > budget2 && detailed.size > 0) break;
    used += bytes;
    data.timelines[s2.session] = lanes;
    detailed.add(s2.session);
  }
  data.omittedTimelines = all.length - detailed.size;
  data.sessions = newest.map((s2) => rowOf(s2, detailed.has(s2.session)));
  for (const s2 of newest) {
    if (!(s2.snapshots ?? 0)) continue;
    for (const r2 of await listSnapshots(branch, s2)) data.snapshots.push(snapshotView(r2, data.repo));
  }
  data.snapshots.sort((a, b) => b.ts.localeCompare(a.ts));
  let snapUsed = 0;
  for (const v of data.snapshots) {
    if (snapUsed > (opts.snapshotBudget ?? 5e5)) {
      v.files = [];
      v.todos = [];
      v.errors = [];
    } else snapUsed += JSON.stringify(v).length;
  }
  return data;
}
var snapshotView, cut, rowOf;
var init_data = __esm({
  "src/dashboard/data.ts"() {
    "use strict";
    init_duckdb();
    init_phases();
    init_review();
    init_figures();
    init_views();
    init_snapshot();
    snapshotView = (r2, repo2) => ({
      id: r2.id,
      n: r2.n,
      session: r2.session,
      ts: r2.ts,
      trigger: r2.trigger,
      note: cut(r2.note, 500),
      git: r2.git,
      files: r2.files.slice(0, 100).map((f) => ({ path: f.path, status: f.status, redacted: f.redacted, skipped: f.skipped })),
      fileCount: r2.files.length,
      todos: r2.todos.slice(0, 50).map((t) => ({ ...t, content: cut(t.content, 300) ?? "" })),
      openTodos: r2.todos.filter((t) => t.status !== "completed").length,
      errors: r2.errors.slice(0, 10).map((e) => ({ tool: e.tool, message: cut(e.message, 300) ?? "", tried: cut(e.tried, 200) })),
      errorCount: r2.errors.length,
      tokens: r2.usage.tokens.input + r2.usage.tokens.output + r2.usage.tokens.cacheRead + r2.usage.tokens.cacheWrite,
      costUsd: r2.usage.costUsd,
      restoreDir: `../${repo2}-${r2.id.replace("@", "-")}`
    });
    cut = (s2, n2) => s2 == null ? null : s2.length > n2 ? `${s2.slice(0, n2)}\u2026 (${s2.length - n2} more characters)` : s2;
    rowOf = (s2, detailed) => ({
      session: s2.session,
      phase: s2.phase,
      started: s2.started,
      lastActivity: s2.lastActivity,
      ended: s2.ended,
      branch: s2.branch,
      author: s2.author?.name ?? null,
      models: s2.models,
      agentTool: agentToolOf(s2),
      firstPrompt: cut(s2.firstPrompt, 200),
      agents: s2.agents,
      toolCalls: s2.toolCalls,
      toolFailures: s2.toolFailures,
      errors: s2.errors,
      fileChanges: s2.fileChanges,
      tokens: s2.tokens.input + s2.tokens.output + s2.tokens.cacheRead + s2.tokens.cacheWrite,
      costUsd: s2.costUsd,
      unpricedTokens: s2.unpricedTokens ?? 0,
      snapshots: s2.snapshots ?? 0,
      conversation: Object.keys(s2.transcripts ?? {}).length > 0,
      detailed
    });
  }
});

// src/dashboard/page.ts
var page_exports = {};
__export(page_exports, {
  echartsSource: () => echartsSource,
  renderPage: () => renderPage,
  scriptJson: () => scriptJson
});
import * as fs38 from "node:fs";
import { createRequire } from "node:module";
function echartsSource() {
  const require2 = createRequire(import.meta.url);
  const file = require2.resolve("echarts/dist/echarts.min.js");
  return fs38.readFileSync(file, "utf8");
}
function renderPage(data, echarts = echartsSource()) {
  const title = `agent-track dashboard \xB7 ${data.repo}`.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // no network at all: everything is inline
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${title}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    '<div id="app"></div>',
    `<script type="application/json" id="dashboard-data">${scriptJson(data)}</script>`,
    `<script>${inlineScript(echarts)}</script>`,
    `<script>${inlineScript(CLIENT)}</script>`,
    "</body>",
    "</html>",
    ""
  ].join("\n");
}
var scriptJson, inlineScript, CSS, CLIENT;
var init_page = __esm({
  "src/dashboard/page.ts"() {
    "use strict";
    scriptJson = (v) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
    inlineScript = (js) => js.replace(/<\/(script)/gi, "<\\/$1");
    CSS = `
:root { --ok: #2e7d32; --fail: #c62828; --open: #9e9e9e; --fg: #1d232a; --muted: #5f6b76; --line: #dde3e8; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #f6f8fa; }
header { background: #1d232a; color: #fff; padding: 12px 20px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0; }
header .meta { color: #b8c2cc; font-size: 12px; }
nav { display: flex; gap: 4px; padding: 0 20px; background: #fff; border-bottom: 1px solid var(--line); }
nav button { border: 0; background: none; padding: 10px 14px; cursor: pointer; font: inherit; color: var(--muted); border-bottom: 2px solid transparent; }
nav button.active { color: var(--accent); border-bottom-color: var(--accent); font-weight: 600; }
main { padding: 16px 20px; }
section.view { display: none; }
section.view.active { display: block; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 130px; }
.card .v { font-size: 20px; font-weight: 600; }
.card .k { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin-bottom: 16px; overflow: auto; }
.panel h2 { font-size: 15px; margin: 0 0 8px; }
.chart { width: 100%; height: 300px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f0f3f6; cursor: pointer; user-select: none; white-space: nowrap; }
th.sorted-asc::after { content: " \\25B2"; } th.sorted-desc::after { content: " \\25BC"; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.link { cursor: pointer; } tr.link:hover { background: #eef4fb; }
.lane { border-left: 3px solid var(--accent); margin: 8px 0; padding: 4px 10px; background: #fff; }
.lane h3 { font-size: 14px; margin: 4px 0; }
.lane .desc { color: var(--muted); }
ul.items { list-style: none; padding: 0; margin: 4px 0; }
ul.items li { padding: 3px 0; border-bottom: 1px dashed var(--line); }
.badge { display: inline-block; border-radius: 3px; padding: 0 6px; font-size: 12px; color: #fff; margin-right: 6px; }
.success .badge, .badge.success { background: var(--ok); }
.failure .badge, .badge.failure { background: var(--fail); }
.open .badge, .badge.open { background: var(--open); }
.badge.file { background: #6a1b9a; } .badge.error { background: var(--fail); } .badge.decision { background: #ef6c00; }
.err { color: var(--fail); white-space: pre-wrap; }
pre.diff { background: #0f1419; color: #e6e6e6; padding: 8px; overflow: auto; max-height: 400px; font-size: 12px; }
pre.diff .add { color: #7ee787; } pre.diff .del { color: #ff7b72; } pre.diff .hunk { color: #79c0ff; }
code.cmd { background: #f0f3f6; padding: 3px 6px; border-radius: 3px; font-size: 12px; }
.cmdrow { display: flex; gap: 8px; align-items: center; margin: 4px 0; }
button.copy { font: inherit; font-size: 12px; padding: 2px 8px; cursor: pointer; }
.empty { max-width: 640px; margin: 40px auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 24px; }
.muted { color: var(--muted); }
select { font: inherit; padding: 4px; max-width: 100%; }
`;
    CLIENT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('dashboard-data').textContent);
  var charts = {};
  window.__dashboard = { data: D, charts: charts };

  function h(tag, attrs) {
    var e = document.createElement(tag);
    var a = attrs || {};
    Object.keys(a).forEach(function (k) {
      var v = a[k];
      if (v === undefined || v === null) return;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, String(v));
    });
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(e, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach(function (x) { add(e, x); });
    else if (typeof c === 'object' && c.nodeType) e.appendChild(c);
    else e.appendChild(document.createTextNode(String(c)));
  }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function usd(v) { return v === null || v === undefined ? 'unpriced' : '$' + (Number(v) || 0).toFixed(Math.abs(v) >= 1 ? 2 : 4); }
  function int(v) { return (Number(v) || 0).toLocaleString('en-US'); }
  function dur(ms) {
    if (ms == null) return '';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    return (ms / 60000).toFixed(1) + ' min';
  }
  function when(ts) { return ts ? String(ts).replace('T', ' ').slice(0, 19) : ''; }
  function short(id) { return String(id || '').slice(0, 8); }

  // a table whose columns sort on a click of their header
  function sortable(cols, rows, onRow) {
    var state = { col: -1, dir: 1 };
    var tbody = h('tbody');
    var ths = cols.map(function (c, i) {
      return h('th', { 'data-col': c.key, class: c.num ? 'n' : null, onclick: function () { sortBy(i); } }, c.label);
    });
    function cell(c, r) {
      var v = r[c.key];
      var shown = c.fmt ? c.fmt(v, r) : v == null ? '' : v;
      return h('td', { class: c.num ? 'n' : null }, shown);
    }
    function draw(list) {
      tbody.textContent = '';
      list.forEach(function (r) {
        var tr = h('tr', { class: onRow ? 'link' : null }, cols.map(function (c) { return cell(c, r); }));
        if (onRow) tr.addEventListener('click', function () { onRow(r); });
        tbody.appendChild(tr);
      });
    }
    function sortBy(i) {
      state.dir = state.col === i ? -state.dir : cols[i].num ? -1 : 1;
      state.col = i;
      var key = cols[i].key;
      var list = rows.slice().sort(function (a, b) {
        var x = a[key], y = b[key];
        if (x == null && y == null) return 0;
        if (x == null) return 1;
        if (y == null) return -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * state.dir;
      });
      ths.forEach(function (th, k) {
        th.classList.remove('sorted-asc', 'sorted-desc');
        if (k === i) th.classList.add(state.dir > 0 ? 'sorted-asc' : 'sorted-desc');
      });
      draw(list);
    }
    draw(rows);
    return h('table', { class: 'sortable' }, h('thead', {}, h('tr', {}, ths)), tbody);
  }

  function copyButton(text) {
    var b = h('button', { class: 'copy', type: 'button', 'data-copy': text }, 'copy');
    b.addEventListener('click', function () {
      function fallback() {
        var t = h('textarea', { style: 'position:fixed;left:-1000px' });
        t.value = text;
        document.body.appendChild(t);
        t.select();
        try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
        t.remove();
      }
      var done = function () { b.textContent = 'copied'; setTimeout(function () { b.textContent = 'copy'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText)
        navigator.clipboard.writeText(text).then(done, function () { fallback(); done(); });
      else { fallback(); done(); }
    });
    return b;
  }
  function command(text) {
    return h('div', { class: 'cmdrow' }, h('code', { class: 'cmd' }, text), copyButton(text));
  }

  var pending = 0;
  function ready() { window.__dashboardReadyAt = performance.now(); window.__dashboardReady = true; document.body.setAttribute('data-ready', '1'); }
  function chart(name, el, option) {
    var c = echarts.init(el, null, { renderer: 'canvas' });
    charts[name] = c;
    pending++;
    c.on('finished', function once() {
      c.off('finished', once);
      if (--pending === 0) ready();
    });
    c.setOption(Object.assign({ animation: false }, option));
    return c;
  }
  function tooltipEsc(p) {
    var v = Array.isArray(p) ? p : [p];
    return v.map(function (x) {
      return esc(x.seriesName) + ' · ' + esc(x.name) + ': ' + esc(typeof x.value === 'number' ? x.value.toFixed(4) : Array.isArray(x.value) ? x.value[1] : x.value);
    }).join('<br>');
  }

  // ---- header and tabs
  var body = document.getElementById('app');
  var views = {};
  var tabs = [['overview', 'Overview'], ['timeline', 'Session timeline'], ['agents', 'Agents and tools'], ['recovery', 'Recovery']];
  var nav = h('nav', {});
  var mainEl = h('main', {});
  var shown = {};
  function show(name) {
    tabs.forEach(function (t) {
      views[t[0]].classList.toggle('active', t[0] === name);
      nav.querySelector('[data-tab="' + t[0] + '"]').classList.toggle('active', t[0] === name);
    });
    if (!shown[name] && renderers[name]) { shown[name] = true; renderers[name](); }
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }
  window.__dashboard.show = show;

  body.appendChild(h('header', {},
    h('h1', {}, 'agent-track · ' + D.repo),
    h('span', { class: 'meta' }, (D.phase ? 'phase ' + D.phase + ' · ' : '') + 'generated ' + when(D.generated) + ' UTC')));

  if (D.empty) {
    body.appendChild(h('div', { class: 'empty', id: 'empty-state' },
      h('h2', {}, 'Nothing recorded yet'),
      h('p', {}, D.phase ? 'No session has been recorded in phase ' + D.phase + '.' : 'This repository has no recorded Claude Code session on its agent-tracking branch.'),
      h('ol', {},
        h('li', {}, 'Run ', h('code', { class: 'cmd' }, 'agent-track init'), ' in the repository (it installs the hooks).'),
        h('li', {}, 'Use Claude Code as usual: sessions, subagents, tool calls, costs and snapshots are recorded.'),
        h('li', {}, 'Or bring in past sessions with ', h('code', { class: 'cmd' }, 'agent-track import'), '.'),
        h('li', {}, 'Then build this page again: ', h('code', { class: 'cmd' }, 'agent-track dashboard'), '.'))));
    ready();
    return;
  }

  tabs.forEach(function (t) {
    nav.appendChild(h('button', { 'data-tab': t[0], type: 'button', onclick: function () { show(t[0]); location.hash = t[0]; } }, t[1]));
    views[t[0]] = h('section', { class: 'view', id: 'view-' + t[0] });
    mainEl.appendChild(views[t[0]]);
  });
  body.appendChild(nav);
  body.appendChild(mainEl);

  var renderers = {};

  // ---- overview
  renderers.overview = function () {
    var v = views.overview;
    var S = D.sessions;
    // the totals come computed (model/figures.ts, as stats prints them): nothing is re-summed here
    var T = D.totals || { costUsd: 0, unpricedTokens: 0, toolCalls: 0, toolFailures: 0, tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } };
    var cost = T.costUsd;
    var tokens = T.tokens.input + T.tokens.output + T.tokens.cacheRead + T.tokens.cacheWrite;
    var calls = T.toolCalls;
    var fails = T.toolFailures;
    function card(k, val) { return h('div', { class: 'card' }, h('div', { class: 'v' }, val), h('div', { class: 'k' }, k)); }
    v.appendChild(h('div', { class: 'cards' }, card('sessions', int(S.length)), card('cost', usd(cost) + (T.unpricedTokens ? ' + unpriced' : '')), card('tokens', int(tokens)),
      card('tool calls', int(calls)), card('tool failures', int(fails)), card('phases', int(D.phases.length))));
    var costEl = h('div', { class: 'chart', id: 'chart-cost' });
    var modelEl = h('div', { class: 'chart', id: 'chart-models' });
    var authorEl = h('div', { class: 'chart', id: 'chart-authors' });
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Cost and tokens over time'), costEl));
    v.appendChild(h('div', { class: 'grid' },
      h('div', { class: 'panel' }, h('h2', {}, 'By model'), modelEl),
      h('div', { class: 'panel' }, h('h2', {}, 'By developer'), authorEl)));
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Phases'), sortable([
      { key: 'name', label: 'phase' }, { key: 'started', label: 'started', fmt: when }, { key: 'ended', label: 'ended', fmt: when },
      { key: 'sessions', label: 'sessions', num: true }, { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      { key: 'current', label: 'current', fmt: function (x) { return x ? 'yes' : ''; } },
    ], D.phases)));
    v.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Sessions'),
      D.omittedTimelines ? h('p', { class: 'muted' }, 'Timelines are embedded for the ' + (S.length - D.omittedTimelines) + ' latest sessions (the page stays small); the others have their figures only.') : null,
      sortable([
        { key: 'started', label: 'started', fmt: when }, { key: 'session', label: 'session', fmt: short },
        { key: 'agentTool', label: 'agent CLI' },
        { key: 'phase', label: 'phase' }, { key: 'author', label: 'developer' }, { key: 'branch', label: 'branch' },
        { key: 'firstPrompt', label: 'first prompt' },
        { key: 'agents', label: 'agents', num: true }, { key: 'toolCalls', label: 'tool calls', num: true },
        { key: 'toolFailures', label: 'failures', num: true }, { key: 'tokens', label: 'tokens', num: true, fmt: int },
        { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      ], S, function (r) { if (r.detailed) { show('timeline'); selectSession(r.session); } })));

    var days = []; var models = [];
    D.daily.forEach(function (d) { if (days.indexOf(d.day) < 0) days.push(d.day); if (models.indexOf(d.model) < 0) models.push(d.model); });
    days.sort();
    var tokensByDay = days.map(function (day) {
      return D.daily.filter(function (d) { return d.day === day; }).reduce(function (a, d) { return a + d.tokens; }, 0);
    });
    var series = models.map(function (m) {
      return { name: m, type: 'bar', stack: 'cost', data: days.map(function (day) {
        var r = D.daily.filter(function (d) { return d.day === day && d.model === m; })[0];
        return r && r.costUsd !== null ? Number(r.costUsd.toFixed(8)) : 0;
      }) };
    });
    series.push({ name: 'tokens', type: 'line', yAxisIndex: 1, data: tokensByDay });
    chart('cost', costEl, {
      tooltip: { trigger: 'axis', formatter: tooltipEsc }, legend: { type: 'scroll' }, grid: { left: 60, right: 70 },
      xAxis: { type: 'category', data: days },
      yAxis: [{ type: 'value', name: 'USD' }, { type: 'value', name: 'tokens' }],
      series: series,
    });
    chart('models', modelEl, {
      tooltip: { trigger: 'axis', formatter: tooltipEsc }, grid: { left: 60, right: 20, bottom: 60 },
      xAxis: { type: 'category', data: D.byModel.map(function (m) { return m.model; }), axisLabel: { rotate: 15 } },
      yAxis: { type: 'value', name: 'USD' },
      series: [{ name: 'cost', type: 'bar', data: D.byModel.map(function (m) { return m.costUsd === null ? 0 : Number(m.costUsd.toFixed(8)); }) }],
    });
    chart('authors', authorEl, {
      tooltip: { trigger: 'item', formatter: tooltipEsc },
      series: [{ name: 'cost by developer', type: 'pie', radius: ['35%', '65%'],
        data: D.byAuthor.map(function (a) { return { name: a.author + ' (' + a.sessions + ' sessions)', value: a.costUsd === null ? 0 : Number(a.costUsd.toFixed(8)) }; }) }],
    });
  };

  // ---- session timeline
  var timelineBody, sessionSelect;
  function selectSession(id) {
    if (!timelineBody) { shown.timeline = true; renderers.timeline(); }
    sessionSelect.value = id;
    drawTimeline(id);
  }
  renderers.timeline = function () {
    var v = views.timeline;
    var detailed = D.sessions.filter(function (s) { return s.detailed; });
    sessionSelect = h('select', { id: 'session-select', onchange: function () { drawTimeline(sessionSelect.value); } },
      detailed.map(function (s) {
        return h('option', { value: s.session }, when(s.started) + ' · ' + short(s.session) + ' · ' + (s.firstPrompt || '').slice(0, 80));
      }));
    timelineBody = h('div', {});
    v.appendChild(h('div', { class: 'panel' }, h('label', {}, 'Session ', sessionSelect)));
    v.appendChild(timelineBody);
    if (detailed.length) drawTimeline(detailed[0].session);
  };
  function itemTs(i) { return i.kind === 'tool' ? i.call.ts : i.ts; }
  function diffPre(text) {
    var pre = h('pre', { class: 'diff' });
    String(text).split('\n').forEach(function (line) {
      var cls = line.slice(0, 3) === '+++' || line.slice(0, 3) === '---' ? null : line[0] === '+' ? 'add' : line[0] === '-' ? 'del' : line.slice(0, 2) === '@@' ? 'hunk' : null;
      pre.appendChild(h('span', { class: cls }, line + '\n'));
    });
    return pre;
  }
  function laneName(l) { return l.agent === 'main' ? 'main' : (l.agentType || 'agent') + ' ' + short(l.agent); }
  function drawTimeline(id) {
    var lanes = D.timelines[id] || [];
    var s = D.sessions.filter(function (x) { return x.session === id; })[0] || {};
    timelineBody.textContent = '';
    if (charts.timeline) { charts.timeline.dispose(); delete charts.timeline; }
    timelineBody.appendChild(h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'v' }, short(id)), h('div', { class: 'k' }, 'session ' + id)),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(lanes.length - 1)), h('div', { class: 'k' }, 'subagents')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(s.toolCalls)), h('div', { class: 'k' }, 'tool calls')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, int(s.toolFailures)), h('div', { class: 'k' }, 'failures')),
      h('div', { class: 'card' }, h('div', { class: 'v' }, usd(s.costUsd)), h('div', { class: 'k' }, 'cost'))));
    var el = h('div', { class: 'chart', id: 'chart-timeline', style: 'height:' + Math.max(160, 60 + lanes.length * 46) + 'px' });
    timelineBody.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Agents as lanes (tool calls: green succeeded, red failed, grey never finished)'), el));
    var n = lanes.length;
    var labels = lanes.map(function (l) { return new Array(l.depth + 1).join('  ') + laneName(l); });
    var calls = [], spans = [], marks = [];
    lanes.forEach(function (l, k) {
      var y = n - 1 - k;
      var a = Date.parse(l.started || ''), b = Date.parse(l.ended || '');
      var first = null, last = null;
      l.items.forEach(function (i) {
        var t = Date.parse(itemTs(i));
        if (!isFinite(t)) return;
        if (i.kind === 'tool') {
          var c = i.call;
          var end = t + Math.max(c.durationMs || 0, 1);
          first = first == null ? t : Math.min(first, t); last = last == null ? end : Math.max(last, end);
          var outcome = c.success === true ? 'success' : c.success === false ? 'failure' : 'open';
          calls.push({ name: c.tool + ' ' + (c.summary || ''), value: [y, t, end, outcome, c.durationMs, c.tool],
            itemStyle: { color: outcome === 'success' ? '#2e7d32' : outcome === 'failure' ? '#c62828' : '#9e9e9e' } });
        } else {
          first = first == null ? t : Math.min(first, t); last = last == null ? t : Math.max(last, t);
          marks.push({ name: i.kind + ': ' + (i.kind === 'file' ? i.operation + ' ' + i.path : i.kind === 'error' ? i.message : i.what), value: [t, y, i.kind],
            symbol: i.kind === 'file' ? 'rect' : i.kind === 'error' ? 'triangle' : 'diamond',
            itemStyle: { color: i.kind === 'file' ? '#6a1b9a' : i.kind === 'error' ? '#c62828' : '#ef6c00' } });
        }
      });
      if (!isFinite(a)) a = first; if (!isFinite(b)) b = last;
      if (a != null && b != null) spans.push({ name: laneName(l), value: [y, a, b] });
    });
    var clip = function (params, api, hgt) {
      var s0 = api.coord([api.value(1), api.value(0)]), e0 = api.coord([api.value(2), api.value(0)]);
      var hh = api.size([0, 1])[1] * hgt;
      return echarts.graphic.clipRectByRect({ x: s0[0], y: s0[1] - hh / 2, width: Math.max(e0[0] - s0[0], 2), height: hh },
        { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
    };
    chart('timeline', el, {
      tooltip: { formatter: function (p) {
        var v = p.value || [];
        if (p.seriesName === 'tool calls') return esc(p.name) + '<br>' + esc(v[3]) + (v[4] != null ? ' · ' + esc(dur(v[4])) : '');
        return esc(p.name);
      } },
      grid: { left: 170, right: 30, top: 20, bottom: 40 },
      dataZoom: [{ type: 'inside', filterMode: 'weakFilter' }, { type: 'slider', filterMode: 'weakFilter', height: 14, bottom: 6 }],
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: labels.slice().reverse(), axisLabel: { fontFamily: 'monospace' } },
      series: [
        { name: 'agents', type: 'custom', encode: { x: [1, 2], y: 0 }, data: spans, z: 1,
          renderItem: function (params, api) { var r = clip(params, api, 0.85); return r && { type: 'rect', shape: r, style: { fill: '#e3ebf4' } }; } },
        { name: 'tool calls', type: 'custom', encode: { x: [1, 2], y: 0 }, data: calls, z: 2,
          renderItem: function (params, api) { var r = clip(params, api, 0.5); return r && { type: 'rect', shape: r, style: api.style() }; } },
        { name: 'events', type: 'scatter', data: marks, symbolSize: 9, z: 3 },
      ],
    });
    lanes.forEach(function (l) {
      var items = h('ul', { class: 'items' });
      l.items.slice().sort(function (x, y) { return String(itemTs(x)).localeCompare(String(itemTs(y))); }).forEach(function (i) {
        if (i.kind === 'tool') {
          var c = i.call;
          var outcome = c.success === true ? 'success' : c.success === false ? 'failure' : 'open';
          items.appendChild(h('li', { class: 'call ' + outcome, 'data-tool': c.tool, 'data-outcome': outcome, 'data-tool-use-id': c.toolUseId },
            h('span', { class: 'badge' }, outcome), h('b', {}, c.tool), ' ', c.summary || '', ' ',
            h('span', { class: 'muted' }, when(c.ts).slice(11) + (c.durationMs != null ? ' · ' + dur(c.durationMs) : '')),
            c.rationale ? h('div', { class: 'muted' }, 'why: ' + c.rationale) : null,
            c.error ? h('div', { class: 'err' }, c.error) : null,
            c.next ? h('div', { class: 'muted' }, 'next: ' + c.next) : null));
        } else if (i.kind === 'file') {
          items.appendChild(h('li', { class: 'file', 'data-path': i.path },
            h('details', {}, h('summary', {}, h('span', { class: 'badge file' }, i.operation), i.path, ' ', h('span', { class: 'muted' }, when(i.ts).slice(11))),
              i.diff ? diffPre(i.diff) : h('p', { class: 'muted' }, 'no diff recorded'))));
        } else if (i.kind === 'error') {
          items.appendChild(h('li', { class: 'error' }, h('span', { class: 'badge error' }, 'error'), i.tool ? h('b', {}, i.tool + ' ') : null, h('span', { class: 'err' }, i.message)));
        } else {
          items.appendChild(h('li', { class: 'decision' }, h('span', { class: 'badge decision' }, 'decision'), h('b', {}, i.what),
            i.rationale ? h('div', { class: 'muted' }, i.rationale) : null,
            i.alternatives && i.alternatives.length ? h('div', { class: 'muted' }, 'alternatives: ' + i.alternatives.join('; ')) : null));
        }
      });
      timelineBody.appendChild(h('div', { class: 'lane', 'data-agent': l.agent, 'data-agent-type': l.agentType || '', 'data-depth': l.depth, style: 'margin-left:' + l.depth * 24 + 'px' },
        h('h3', {}, laneName(l), ' ', h('span', { class: 'muted' }, [when(l.started).slice(11), l.ended ? '→ ' + when(l.ended).slice(11) : '', int(l.tokens) + ' tokens', usd(l.costUsd)].filter(Boolean).join(' · '))),
        l.description ? h('div', { class: 'desc' }, l.description) : null,
        items,
        l.outcome ? h('details', {}, h('summary', {}, 'outcome'), h('div', { style: 'white-space:pre-wrap' }, l.outcome)) : null));
    });
  }

  // ---- agents and tools
  renderers.agents = function () {
    var v = views.agents;
    if (!D.reviews.length) { v.appendChild(h('p', {}, 'No review data.')); return; }
    var holder = h('div', {});
    var sel = h('select', { id: 'review-phase', onchange: function () { draw(sel.value); } },
      D.reviews.map(function (r) { return h('option', { value: r.phase }, r.phase + ' (' + r.sessions + ' sessions)'); }));
    sel.value = D.reviews[D.reviews.length - 1].phase;
    v.appendChild(h('div', { class: 'panel' }, h('label', {}, 'Phase ', sel)));
    v.appendChild(holder);
    function draw(phase) {
      var r = D.reviews.filter(function (x) { return x.phase === phase; })[0];
      holder.textContent = '';
      holder.appendChild(h('div', { class: 'panel', id: 'agents-table' }, h('h2', {}, 'Agents'), sortable([
        { key: 'type', label: 'agent type' }, { key: 'runs', label: 'runs', num: true }, { key: 'failures', label: 'failures', num: true },
        { key: 'medianMs', label: 'median time', num: true, fmt: dur }, { key: 'tokens', label: 'tokens', num: true, fmt: int },
        { key: 'costUsd', label: 'cost', num: true, fmt: usd },
      ], r.agents)));
      holder.appendChild(h('div', { class: 'panel', id: 'tools-table' }, h('h2', {}, 'Tools'), sortable([
        { key: 'tool', label: 'tool' }, { key: 'calls', label: 'calls', num: true }, { key: 'failures', label: 'failures', num: true },
        { key: 'failureRate', label: 'failure rate', num: true, fmt: function (x) { return (100 * (x || 0)).toFixed(1) + '%'; } },
        { key: 'rejected', label: 'declined', num: true }, { key: 'denied', label: 'denied', num: true },
        { key: 'p50Ms', label: 'p50', num: true, fmt: dur }, { key: 'p95Ms', label: 'p95', num: true, fmt: dur },
      ], r.tools)));
      if (r.errors && r.errors.length)
        holder.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Recurring errors'), sortable([
          { key: 'tool', label: 'tool', fmt: function (x, row) { return row && row.program ? x + ' ' + row.program : x; } },
          { key: 'pattern', label: 'cause' }, { key: 'count', label: 'count', num: true }, { key: 'sessions', label: 'sessions', num: true },
          { key: 'fixed', label: 'retry worked', num: true }, { key: 'costUsd', label: 'cost', num: true, fmt: usd },
          { key: 'lastSeen', label: 'last seen', fmt: when },
        ], r.errors)));
      if (r.recommendations && r.recommendations.length)
        holder.appendChild(h('div', { class: 'panel' }, h('h2', {}, 'Recommendations'), h('ul', {}, r.recommendations.map(function (x) {
          return h('li', {}, x.text, ' ', h('span', { class: 'muted' }, x.evidence),
            x.sessions && x.sessions.length ? h('span', { class: 'muted' }, ' · see ' + x.sessions.map(function (id) { return id.slice(0, 8); }).join(', ')) : null);
        }))));
    }
    draw(sel.value);
  };

  // ---- recovery
  renderers.recovery = function () {
    var v = views.recovery;
    if (!D.snapshots.length) {
      v.appendChild(h('div', { class: 'panel', id: 'no-snapshots' }, h('p', {}, 'No snapshot yet. They are taken automatically (agents, tokens, compaction, session end) or now with ', h('code', { class: 'cmd' }, 'agent-track checkpoint --note "..."'), '.')));
      return;
    }
    var bySession = {};
    var order = [];
    D.snapshots.forEach(function (r) { if (!bySession[r.session]) { bySession[r.session] = []; order.push(r.session); } bySession[r.session].push(r); });
    order.forEach(function (sid) {
      var s = D.sessions.filter(function (x) { return x.session === sid; })[0] || {};
      var panel = h('div', { class: 'panel', 'data-session': sid },
        h('h2', {}, 'Session ' + short(sid) + (s.firstPrompt ? ' · ' + s.firstPrompt.slice(0, 100) : '')),
        h('p', { class: 'muted' }, 'Carry on from its last state in a new Claude Code session:'),
        command('agent-track resume --session ' + sid),
        s.conversation ? h('p', { class: 'muted' }, 'Or go on with the conversation itself (claude --resume, on any clone):') : null,
        s.conversation ? command('agent-track continue ' + sid) : null);
      bySession[sid].forEach(function (r) {
        panel.appendChild(h('div', { class: 'lane snapshot', 'data-snapshot': r.id },
          h('h3', {}, r.id, ' ', h('span', { class: 'muted' }, when(r.ts) + ' · ' + r.trigger + (r.git.branch ? ' · ' + r.git.branch : '') + (r.git.head ? ' @ ' + r.git.head.slice(0, 7) : ''))),
          r.note ? h('div', {}, 'note: ' + r.note) : null,
          h('div', { class: 'muted' }, r.fileCount + ' changed files · ' + r.openTodos + ' open todos · ' + r.errorCount + ' unresolved errors · ' + int(r.tokens) + ' tokens · ' + usd(r.costUsd) + ' so far'),
          (r.fileCount || r.errorCount || r.openTodos) && !r.files.length && !r.errors.length && !r.todos.length
            ? h('div', { class: 'muted' }, 'Its lists are not embedded (an older snapshot; the page stays small): agent-track snapshots --session ' + short(r.session) + ' --json')
            : null,
          r.files.length ? h('details', {}, h('summary', {}, 'files'), h('ul', { class: 'items' }, r.files.map(function (f) {
            return h('li', {}, h('span', { class: 'badge open' }, f.status), f.path, f.redacted ? ' (redacted)' : '', f.skipped ? ' (not stored: ' + f.skipped + ')' : '');
          }), r.fileCount > r.files.length ? h('li', { class: 'muted' }, (r.fileCount - r.files.length) + ' more') : null)) : null,
          r.todos.length ? h('details', {}, h('summary', {}, 'todos'), h('ul', { class: 'items' }, r.todos.map(function (t) {
            return h('li', {}, h('span', { class: 'badge ' + (t.status === 'completed' ? 'success' : 'open') }, t.status), t.content || t.activeForm || '');
          }))) : null,
          r.errors.length ? h('details', {}, h('summary', {}, 'errors'), h('ul', { class: 'items' }, r.errors.map(function (e) {
            return h('li', {}, h('span', { class: 'err' }, (e.tool ? e.tool + ': ' : '') + (e.message || '')), e.tried ? h('div', { class: 'muted' }, 'tried next: ' + e.tried) : null);
          }), r.errorCount > r.errors.length ? h('li', { class: 'muted' }, (r.errorCount - r.errors.length) + ' more') : null)) : null,
          h('p', { class: 'muted' }, 'Branch off from this point in a new worktree:'),
          command('agent-track restore ' + r.id + ' --worktree ' + r.restoreDir),
          s.conversation ? h('p', { class: 'muted' }, 'Or fork the conversation at this moment, with these files:') : null,
          s.conversation ? command('agent-track continue --at ' + r.id + ' --worktree ' + r.restoreDir) : null));
      });
      v.appendChild(panel);
    });
  };

  var start = (location.hash || '').slice(1);
  show('overview');
  if (start && start !== 'overview' && views[start]) show(start);
  if (pending === 0) ready();
})();
`;
  }
});

// src/dashboard/serve.ts
var serve_exports = {};
__export(serve_exports, {
  serveDashboard: () => serveDashboard
});
import * as http2 from "node:http";
function serveDashboard(html, port) {
  const body = Buffer.from(html, "utf8");
  const server = http2.createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (url !== "/" && url !== "/index.html") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-length": body.length,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff"
    });
    res.end(req.method === "HEAD" ? void 0 : body);
  });
  return new Promise((resolve13, reject) => {
    server.once(
      "error",
      (e) => reject(
        new Error(
          e.code === "EADDRINUSE" ? `port ${port} is in use on 127.0.0.1 (give another, or --serve 0 for a free one)` : `cannot serve on 127.0.0.1:${port}: ${e.message}`
        )
      )
    );
    server.listen(port, "127.0.0.1", () => {
      const actual = server.address().port;
      resolve13({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        close: () => new Promise((r2) => {
          server.closeAllConnections();
          server.close(() => r2());
        })
      });
    });
  });
}
var init_serve = __esm({
  "src/dashboard/serve.ts"() {
    "use strict";
  }
});

// src/model/error-pattern.ts
function errorPattern(message) {
  return maskLine(causeLine(message).line);
}
var init_error_pattern = __esm({
  "src/model/error-pattern.ts"() {
    "use strict";
    init_causes();
  }
});

// src/search/documents.ts
function inputText(input, max = 2e3) {
  if (input === null || input === void 0) return "";
  if (typeof input === "string") return input.slice(0, max);
  if (typeof input !== "object") return String(input);
  const parts = [];
  for (const [k, v] of Object.entries(input)) {
    if (typeof v === "string") parts.push(k === "command" || k === "file_path" ? v : `${k}: ${v}`);
    else if (typeof v === "number" || typeof v === "boolean") parts.push(`${k}: ${v}`);
  }
  return parts.join("\n").slice(0, max);
}
function outputText(output, max = 4e3) {
  if (output === null || output === void 0) return "";
  if (typeof output === "string") return output.slice(0, max);
  const parts = [];
  let size2 = 0;
  const walk3 = (v, depth) => {
    if (size2 >= max || depth > 4) return;
    if (typeof v === "string") {
      parts.push(v);
      size2 += v.length;
    } else if (Array.isArray(v)) for (const x of v) walk3(x, depth + 1);
    else if (v && typeof v === "object") for (const x of Object.values(v)) walk3(x, depth + 1);
  };
  walk3(output, 0);
  return parts.join("\n").slice(0, max);
}
function actionLine(tool, input, max = 120) {
  const o = input && typeof input === "object" ? input : null;
  const key = o ? ACTION_KEYS.find((k) => typeof o[k] === "string" && o[k]) : void 0;
  const first = key && o ? String(o[key]).split("\n")[0] : inputText(input, 400).split("\n")[0] ?? "";
  const t = first.length > max ? `${first.slice(0, max - 3)}...` : first;
  return t ? `${tool}: ${t}` : tool;
}
function documentOf(e) {
  let type;
  let text2;
  switch (e.type) {
    case "prompt":
      type = "prompt";
      text2 = str8(e.text);
      break;
    case "decision": {
      type = "decision";
      const alts = Array.isArray(e.alternatives) ? e.alternatives.map(str8).filter(Boolean) : [];
      text2 = [
        str8(e.what),
        str8(e.rationale),
        str8(e.why),
        alts.length ? `alternatives: ${alts.join("; ")}` : ""
      ].filter(Boolean).join("\n");
      break;
    }
    case "error":
      type = "error";
      text2 = [str8(e.tool), str8(e.message) || str8(e.error), inputText(e.input, 1e3)].filter(Boolean).join("\n");
      break;
    case "tool_call": {
      const tool = str8(e.tool) || "unknown";
      type = AGENT_TOOLS2.has(tool) ? "task" : "tool";
      text2 = [
        tool,
        inputText(e.input),
        str8(e.error),
        type === "task" ? outputText(e.output, 2e3) : outputText(e.output)
      ].filter(Boolean).join("\n");
      break;
    }
    case "file_change":
      type = "file";
      text2 = [str8(e.path), str8(e.operation), str8(e.diff)].filter(Boolean).join("\n");
      break;
    case "agent_end":
    case "stop":
      type = "outcome";
      text2 = str8(e.lastMessage);
      break;
    default:
      return null;
  }
  if (!text2.trim()) return null;
  const ref = (e.type === "file_change" || e.type === "decision") && typeof e.toolUseId === "string" ? e.toolUseId : null;
  return {
    ...e.type === "file_change" && typeof e.path === "string" ? { path: e.path } : {},
    ...ref ? { ref } : {},
    id: e.id,
    session: e.session,
    agent: e.agent,
    agentType: e.agentType ?? (e.agent === "main" ? "main" : "unknown"),
    type,
    ts: e.ts,
    text: text2.slice(0, INDEXED_CHARS),
    stored: text2.slice(0, STORED_CHARS)
  };
}
function foldEvents(fold, events, agentTypes, cwd = null) {
  const prefix = cwd ? `${cwd.replace(/\/+$/, "")}/` : null;
  const act = (tool, input) => {
    const line = actionLine(tool, input);
    return prefix ? line.replaceAll(prefix, "") : line;
  };
  const docs = [];
  const added = [];
  const seen = /* @__PURE__ */ new Set();
  const inputs = /* @__PURE__ */ new Map();
  const began = /* @__PURE__ */ new Map();
  events.forEach((raw, i) => {
    if ((raw.type === "tool_start" || raw.type === "tool_call") && typeof raw.toolUseId === "string") {
      inputs.set(raw.toolUseId, { tool: str8(raw.tool), input: raw.input });
      if (!began.has(raw.toolUseId)) began.set(raw.toolUseId, i);
    }
  });
  for (const raw of events) {
    for (const e of canonicalEvent(raw, agentTypes)) {
      if (seen.has(e.id) || fold.has(e.id) || fold.errors.some((r2) => r2.id === e.id)) continue;
      seen.add(e.id);
      if (e.type === "tool_call") followUp(fold.errors, e, act, began);
      const doc = documentOf(e);
      if (doc) docs.push(doc);
      if (e.type === "error") {
        const message = str8(e.message) || str8(e.error);
        const call = typeof e.toolUseId === "string" ? inputs.get(e.toolUseId) : void 0;
        const tool = str8(e.tool) || call?.tool || null;
        const input = e.input ?? call?.input;
        const rec = {
          id: e.id,
          session: e.session,
          agent: e.agent,
          agentType: e.agentType ?? (e.agent === "main" ? "main" : "unknown"),
          ts: e.ts,
          toolUseId: typeof e.toolUseId === "string" ? e.toolUseId : null,
          tool,
          action: tool && input !== void 0 && input !== null ? act(tool, input) : null,
          message: message.slice(0, MESSAGE_CHARS),
          pattern: errorPattern(message),
          kind: tool ? callKind(tool, input) : void 0,
          next: [],
          resolved: null
        };
        fold.errors.push(rec);
        added.push(rec);
      }
    }
  }
  return { docs, errors: added };
}
function followUp(errors, call, act, began = /* @__PURE__ */ new Map()) {
  const outcome = toolOutcome(call);
  const callBegan = typeof call.toolUseId === "string" ? began.get(call.toolUseId) : void 0;
  const tool = str8(call.tool) || "unknown";
  const kind = callKind(tool, call.input);
  for (const err of errors) {
    if (err.done || err.agent !== call.agent) continue;
    const errBegan = err.toolUseId ? began.get(err.toolUseId) : void 0;
    const before = callBegan !== void 0 && errBegan !== void 0 ? callBegan < errBegan : call.ts < err.ts;
    if (before) continue;
    const useId = typeof call.toolUseId === "string" ? call.toolUseId : `${call.id}`;
    if (!err.watched) err.watched = [];
    const watched = err.watched;
    if (useId === err.toolUseId || watched.includes(useId)) continue;
    if (err.next.length < NEXT_STEPS)
      err.next.push({ tool, action: act(tool, call.input), outcome, ts: call.ts, toolUseId: useId });
    const w = {
      ...watchOf(err.agent, err.kind ?? err.tool ?? "unknown"),
      seen: watched.length,
      retried: err.resolved === false
    };
    watched.push(useId);
    observe(w, { agent: call.agent, kind, outcome });
    if (w.fixedAfter !== null) {
      err.resolved = true;
      err.fixedAfter = w.fixedAfter;
    } else if (w.retried) err.resolved = false;
    if (err.resolved === true || watched.length >= WATCH_CALLS) {
      err.done = true;
      delete err.watched;
    }
  }
}
var HIT_TYPES, INDEXED_CHARS, STORED_CHARS, str8, AGENT_TOOLS2, ACTION_KEYS, NEXT_STEPS, WATCH_CALLS, MESSAGE_CHARS;
var init_documents = __esm({
  "src/search/documents.ts"() {
    "use strict";
    init_canonical();
    init_error_pattern();
    init_retry();
    HIT_TYPES = ["prompt", "decision", "error", "tool", "file", "task", "outcome"];
    INDEXED_CHARS = 8e3;
    STORED_CHARS = 1200;
    str8 = (v) => typeof v === "string" ? v : "";
    AGENT_TOOLS2 = /* @__PURE__ */ new Set(["Agent", "Task"]);
    ACTION_KEYS = [
      "command",
      "file_path",
      "notebook_path",
      "path",
      "pattern",
      "url",
      "query",
      "description",
      "prompt"
    ];
    NEXT_STEPS = 3;
    WATCH_CALLS = 500;
    MESSAGE_CHARS = 400;
  }
});

// src/search/index.ts
var search_exports = {};
__export(search_exports, {
  INDEX_VERSION: () => INDEX_VERSION,
  SearchIndex: () => SearchIndex,
  hunksCover: () => hunksCover,
  indexFile: () => indexFile,
  refreshSearchIndex: () => refreshSearchIndex,
  searchDir: () => searchDir,
  snippetOf: () => snippetOf
});
import * as fs40 from "node:fs";
import * as path39 from "node:path";
import MiniSearch from "minisearch";
function snippetOf(text2, terms, width = 200) {
  const flat = text2.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = at < 0 ? 0 : Math.max(0, at - Math.floor(width / 3));
  const end = Math.min(flat.length, start + width);
  const cut2 = `${start > 0 ? "\u2026" : ""}${flat.slice(start, end)}${end < flat.length ? "\u2026" : ""}`;
  return redactText(cut2, { pass: "full" });
}
function hunksCover(diff, line) {
  let any = false;
  for (const m of diff.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    any = true;
    const start = Number(m[1]);
    const count2 = m[2] === void 0 ? 1 : Number(m[2]);
    if (line >= start && line < start + Math.max(count2, 1)) return true;
  }
  return any ? false : null;
}
async function refreshSearchIndex(paths) {
  try {
    if (!readRef(paths.commonDir, TRACKING_REF)) return null;
    const index = SearchIndex.load(paths) ?? SearchIndex.empty(paths);
    return await index.update(await TrackingBranch.open(paths));
  } catch {
    return null;
  }
}
var INDEX_VERSION, OPTIONS, searchDir, indexFile, SearchIndex;
var init_search = __esm({
  "src/search/index.ts"() {
    "use strict";
    init_error_pattern();
    init_redact();
    init_fsutil();
    init_owner();
    init_paths();
    init_reader();
    init_documents();
    INDEX_VERSION = 3;
    OPTIONS = {
      idField: "id",
      fields: ["text"],
      storeFields: ["session", "agent", "agentType", "type", "ts", "stored", "path", "ref"],
      // autoVacuum's batches run on timers; we vacuum ourselves before saving, so nothing keeps the process up
      autoVacuum: false
    };
    searchDir = (paths) => path39.join(paths.trackingDir, "search");
    indexFile = (paths) => path39.join(searchDir(paths), "index.jsonl");
    SearchIndex = class _SearchIndex {
      constructor(paths, manifest, mini) {
        this.paths = paths;
        this.manifest = manifest;
        this.mini = mini;
      }
      paths;
      manifest;
      mini;
      get tip() {
        return this.manifest.tip;
      }
      get sessionCount() {
        return Object.keys(this.manifest.sessions).length;
      }
      get documentCount() {
        return this.mini.documentCount;
      }
      /** The index as saved, or null when there is none (or of another version, or unreadable). */
      static load(paths) {
        let text2;
        try {
          text2 = fs40.readFileSync(indexFile(paths), "utf8");
        } catch {
          return null;
        }
        const nl = text2.indexOf("\n");
        if (nl < 0) return null;
        try {
          const manifest = JSON.parse(text2.slice(0, nl));
          if (manifest.v !== INDEX_VERSION) return null;
          return new _SearchIndex(paths, manifest, MiniSearch.loadJSON(text2.slice(nl + 1), OPTIONS));
        } catch {
          return null;
        }
      }
      static empty(paths) {
        return new _SearchIndex(
          paths,
          { v: INDEX_VERSION, tip: "", built: "", sessions: {} },
          new MiniSearch(OPTIONS)
        );
      }
      /**
       * The index brought up to the branch tip (built on first use), saved when it changed. Throws
       * NoBranchError when the clone has no agent-tracking branch.
       */
      static async open(paths, branch) {
        const saved = _SearchIndex.load(paths);
        if (saved && !branch && saved.tip === readRef(paths.commonDir, TRACKING_REF)) return saved;
        const index = saved ?? _SearchIndex.empty(paths);
        await index.update(branch ?? await TrackingBranch.open(paths));
        return index;
      }
      /** Reads what the branch has that the index has not, and saves the index when anything changed. */
      async update(branch, opts = {}) {
        const started = performance.now();
        const r2 = { sessionsRead: 0, segmentsRead: 0, docsAdded: 0 };
        if (this.manifest.tip !== branch.tip) {
          const summaries = await branch.rawSessions();
          const live = /* @__PURE__ */ new Set();
          for (const s2 of summaries) {
            live.add(s2.session);
            const read = await this.updateSession(branch, s2);
            if (read.segments) r2.sessionsRead++;
            r2.segmentsRead += read.segments;
            r2.docsAdded += read.docs;
          }
          for (const id of Object.keys(this.manifest.sessions))
            if (!live.has(id)) {
              this.drop(id);
              r2.sessionsRead++;
            }
          this.manifest.tip = branch.tip;
          this.manifest.built = (/* @__PURE__ */ new Date()).toISOString();
          if (opts.save !== false) await this.save();
        }
        let bytes = 0;
        try {
          bytes = fs40.statSync(indexFile(this.paths)).size;
        } catch {
        }
        return {
          tip: this.manifest.tip,
          sessions: this.sessionCount,
          ...r2,
          documents: this.mini.documentCount,
          bytes,
          ms: Math.round(performance.now() - started)
        };
      }
      drop(session) {
        const entry = this.manifest.sessions[session];
        if (!entry) return;
        this.mini.discardAll(entry.docs.filter((id) => this.mini.has(id)));
        delete this.manifest.sessions[session];
      }
      async updateSession(branch, s2) {
        const key = `${s2.dir}\0${s2.v ?? 0}\0${s2.events}\0${s2.lastActivity ?? ""}\0${s2.ended ?? ""}`;
        let entry = this.manifest.sessions[s2.session];
        if (entry?.key === key) return { segments: 0, docs: 0 };
        const segs = await branch.segments(s2);
        const same = (e2) => segs.length === Object.keys(e2.segments).length && segs.every((g) => e2.segments[g.name] === g.oid);
        if (entry && same(entry)) {
          entry.key = key;
          return { segments: 0, docs: 0 };
        }
        const extends_ = (e2) => Object.entries(e2.segments).every(([n2, oid]) => segs.some((g) => g.name === n2 && g.oid === oid));
        if (entry && !extends_(entry)) {
          this.drop(s2.session);
          entry = void 0;
        }
        if (!entry) {
          entry = { segments: {}, docs: [], errors: [], firstPrompt: null, started: null, author: null };
          this.manifest.sessions[s2.session] = entry;
        }
        const e = entry;
        entry.firstPrompt = s2.firstPrompt ? s2.firstPrompt.slice(0, 300) : null;
        entry.started = s2.started;
        entry.author = s2.author ? s2.author.name : null;
        const fresh = segs.filter((g) => e.segments[g.name] !== g.oid);
        const events = [];
        for (const g of fresh) events.push(...await branch.segmentEvents(s2, g.name));
        const { docs } = foldEvents(
          { has: (id) => this.mini.has(id), errors: entry.errors },
          events,
          s2.agentTypes ?? {},
          s2.cwd
        );
        const add = docs.filter((d) => !this.mini.has(d.id));
        this.mini.addAll(add);
        for (const d of add) entry.docs.push(d.id);
        for (const g of fresh) entry.segments[g.name] = g.oid;
        entry.key = key;
        return { segments: fresh.length, docs: add.length };
      }
      async save() {
        if (this.mini.dirtCount > 0) await this.mini.vacuum();
        const dir = searchDir(this.paths);
        if (!fs40.existsSync(dir)) {
          fs40.mkdirSync(dir, { recursive: true, mode: 448 });
          own(dir);
        }
        writeFileDurable(
          indexFile(this.paths),
          `${JSON.stringify(this.manifest)}
${JSON.stringify(this.mini)}`,
          {
            mode: 384,
            fsync: false
          }
        );
      }
      /** The sessions indexed whose id starts with `prefix`. */
      sessionsMatching(prefix) {
        return Object.keys(this.manifest.sessions).filter((s2) => s2.startsWith(prefix));
      }
      /** Resolves a session id or unique prefix, or throws a message that says what to do. */
      resolveSession(idOrPrefix) {
        if (this.manifest.sessions[idOrPrefix]) return idOrPrefix;
        const m = this.sessionsMatching(idOrPrefix);
        if (m.length === 1) return m[0];
        if (m.length === 0)
          throw new Error(
            `no session '${idOrPrefix}' on the agent-tracking branch (see \`agent-track sessions\`)`
          );
        throw new Error(`'${idOrPrefix}' matches ${m.length} sessions; give more of the id`);
      }
      session(id) {
        const e = this.manifest.sessions[id];
        return e ? { firstPrompt: e.firstPrompt, started: e.started, author: e.author } : null;
      }
      /** Ranked hits: every term must match (prefix and fuzzy), else any term does. */
      search(query, opts = {}) {
        const limit = opts.limit ?? 10;
        const session = opts.session ? this.resolveSession(opts.session) : void 0;
        if (opts.type && !HIT_TYPES.includes(opts.type))
          throw new Error(`unknown type '${opts.type}' (one of ${HIT_TYPES.join(", ")})`);
        const filter = (r2) => (!session || r2.session === session) && (!opts.type || r2.type === opts.type);
        const run = (combineWith, fuzzy) => this.mini.search(query, {
          filter,
          combineWith,
          prefix: (t) => t.length >= 3,
          fuzzy: fuzzy ? (t) => t.length >= 6 ? 0.15 : false : false
        });
        let results = run("AND", false);
        if (!results.length) results = run("AND", true);
        if (!results.length) results = run("OR", true);
        return results.slice(0, limit).map((r2) => ({
          session: r2.session,
          agent: r2.agent,
          agentType: r2.agentType,
          type: r2.type,
          ts: r2.ts,
          snippet: snippetOf(String(r2.stored ?? ""), r2.terms),
          score: Math.round(r2.score * 1e3) / 1e3
        }));
      }
      /**
       * Earlier errors like `message`: those of the same pattern (paths, ids and numbers masked, as the
       * phase review groups them) first, newest first; then errors sharing its words. Each with what its
       * agent did next and whether that worked.
       */
      similarErrors(message, opts = {}) {
        const limit = opts.limit ?? 5;
        const pattern = errorPattern(message);
        const all = Object.values(this.manifest.sessions).flatMap((e) => e.errors);
        const byId = new Map(all.map((e) => [e.id, e]));
        const keep = (e) => e.session !== opts.excludeSession;
        const loose = (p) => p.replace(/['"`]/g, "").replace(/\s+/g, " ").trim();
        const core = loose(pattern);
        const samePattern = (p) => {
          if (p === pattern) return true;
          const l = loose(p);
          return core.length >= 16 && l.includes(core) || l.length >= 16 && core.includes(l);
        };
        const same = all.filter((e) => keep(e) && samePattern(e.pattern)).sort((a, b) => b.ts.localeCompare(a.ts)).map((e) => ({ ...e, match: "pattern", score: 1 }));
        const out2 = same.slice(0, limit);
        if (out2.length < limit) {
          const taken = new Set(out2.map((e) => e.id));
          const words = this.mini.search(pattern.replace(/<(path|id|n)>/g, " "), {
            filter: (r2) => r2.type === "error",
            combineWith: "OR",
            fuzzy: 0.1
          }).filter(
            (r2) => byId.has(String(r2.id)) && !taken.has(String(r2.id)) && keep(byId.get(String(r2.id)))
          );
          const top = words[0]?.score ?? 1;
          for (const r2 of words.slice(0, limit - out2.length))
            out2.push({
              ...byId.get(String(r2.id)),
              match: "words",
              score: Math.round(r2.score / top * 0.9 * 1e3) / 1e3
            });
        }
        return out2.map(({ watched: _w, done: _d, ...e }) => ({
          ...e,
          message: redactText(e.message, { pass: "full" }),
          action: e.action ? redactText(e.action, { pass: "full" }) : null,
          next: e.next.map((n2) => ({ ...n2, action: redactText(n2.action, { pass: "full" }) }))
        }));
      }
      /**
       * The file changes that touched `file` (a path relative to the repository), newest first, each
       * with the decision its tool call followed when one was recorded, and whether the change's hunks
       * cover `line` (until line attribution exists, the closest answer to "why is this line here").
       */
      fileHistory(file, line, limit = 3) {
        const want = file.replace(/^\.\//, "");
        const changes = this.mini.search(MiniSearch.wildcard, {
          filter: (r2) => r2.type === "file" && (r2.path === want || String(r2.path).endsWith(`/${want}`))
        }).map((r2) => ({
          id: String(r2.id),
          session: String(r2.session),
          agent: String(r2.agent),
          agentType: String(r2.agentType),
          ts: String(r2.ts),
          path: String(r2.path),
          ref: r2.ref ? String(r2.ref) : null,
          stored: String(r2.stored ?? "")
        }));
        const decisions = /* @__PURE__ */ new Map();
        const refsWanted = new Set(changes.map((c) => `${c.session}\0${c.ref}`));
        if (refsWanted.size) {
          for (const r2 of this.mini.search(MiniSearch.wildcard, {
            filter: (x) => x.type === "decision" && !!x.ref
          }))
            if (refsWanted.has(`${r2.session}\0${r2.ref}`))
              decisions.set(`${r2.session}\0${r2.ref}`, String(r2.stored ?? ""));
        }
        const out2 = changes.map((c) => {
          const covers = line === void 0 ? null : hunksCover(c.stored, line);
          const decision = decisions.get(`${c.session}\0${c.ref}`);
          return {
            session: c.session,
            agent: c.agent,
            agentType: c.agentType,
            ts: c.ts,
            path: c.path,
            operation: c.stored.split("\n")[1] ?? null,
            touchesLine: covers,
            decision: decision ? snippetOf(decision, [], 200) : null,
            diff: snippetOf(c.stored.split("\n").slice(2).join("\n"), [], 240)
          };
        });
        out2.sort(
          (a, b) => Number(b.touchesLine === true) - Number(a.touchesLine === true) || b.ts.localeCompare(a.ts)
        );
        return { total: out2.length, changes: out2.slice(0, limit) };
      }
    };
  }
});

// src/mcp/server.ts
var server_exports = {};
__export(server_exports, {
  HistoryTools: () => HistoryTools,
  createMcpServer: () => createMcpServer,
  serveMcp: () => serveMcp
});
import * as os9 from "node:os";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
function createMcpServer(tools, version) {
  const server = new McpServer({ name: MCP_SERVER_NAME, version });
  const limit = z.number().int().min(1).max(20).optional();
  server.registerTool(
    "search_history",
    {
      description: "Full-text search over every recorded agent session of this repository (the team's too): prompts, decisions, errors, tool calls, file changes, subagent tasks and outcomes. Ranked hits with session, agent, time and a snippet.",
      inputSchema: {
        query: z.string().min(1).describe("words to look for"),
        limit: limit.describe("hits to return (default 5)"),
        session: z.string().optional().describe("only this session (id or a unique prefix)"),
        type: z.enum(HIT_TYPES).optional().describe("only this kind of record")
      },
      annotations: { readOnlyHint: true }
    },
    guard((a) => tools.searchHistory(a))
  );
  server.registerTool(
    "similar_errors",
    {
      description: "Earlier errors of the same pattern as this message (paths, ids and numbers masked), with what the agent did next and whether it worked. Call it before retrying a failing command.",
      inputSchema: {
        message: z.string().min(1).describe("the error message"),
        limit: limit.describe("errors to return (default 3)")
      },
      annotations: { readOnlyHint: true }
    },
    guard((a) => tools.similarErrors(a))
  );
  server.registerTool(
    "why",
    {
      description: "Why a file (or a line of it) is as it is: the recorded sessions and file changes that touched it, with the decision before each change and the session goal.",
      inputSchema: {
        file: z.string().min(1).describe("path relative to the repository"),
        line: z.number().int().min(1).optional().describe("a line number, to put the changes covering it first"),
        limit: limit.describe("changes to return (default 3)")
      },
      annotations: { readOnlyHint: true }
    },
    guard((a) => tools.why(a))
  );
  server.registerTool(
    "handoff",
    {
      description: "The handoff of a session: goal, what was done, open todos, modified files, last errors and the next step. Default: this clone's latest session on this git branch.",
      inputSchema: {
        session: z.string().optional().describe("session id or a unique prefix"),
        max_tokens: z.number().int().min(200).max(4e3).optional().describe("budget (default 800)")
      },
      annotations: { readOnlyHint: true }
    },
    guard((a) => tools.handoff(a))
  );
  server.registerTool(
    "session_cost",
    {
      description: "This session's tokens and cost so far, in total and per agent type.",
      inputSchema: {},
      annotations: { readOnlyHint: true }
    },
    guard(() => tools.sessionCost())
  );
  return server;
}
async function serveMcp(paths, version) {
  const session = process.env.CLAUDE_CODE_SESSION_ID?.trim() || null;
  const server = createMcpServer(new HistoryTools(paths, session), version);
  await server.connect(new StdioServerTransport());
}
var say, fail, short3, clip3, fmtInt2, HistoryTools, guard;
var init_server = __esm({
  "src/mcp/server.ts"() {
    "use strict";
    init_figures();
    init_redact();
    init_documents();
    init_search();
    init_paths();
    init_reader();
    init_spool();
    init_register();
    say = (text2) => ({
      content: [{ type: "text", text: redactText(text2, { pass: "full" }) }]
    });
    fail = (text2) => ({ ...say(text2), isError: true });
    short3 = (id) => id.slice(0, 8);
    clip3 = (s2, n2) => {
      const t = s2.replace(/\s+/g, " ").trim();
      return t.length > n2 ? `${t.slice(0, n2 - 1)}\u2026` : t;
    };
    fmtInt2 = (n2) => n2.toLocaleString("en-US");
    HistoryTools = class {
      constructor(paths, sessionId = null) {
        this.paths = paths;
        this.sessionId = sessionId;
      }
      paths;
      sessionId;
      index = null;
      /** The index at the branch's current tip (updated in place when the branch moved). */
      async openIndex() {
        const tip = readRef(this.paths.commonDir, TRACKING_REF);
        if (this.index && this.index.tip === tip) return this.index;
        if (this.index && tip) {
          await this.index.update(await TrackingBranch.open(this.paths), { save: false });
          return this.index;
        }
        this.index = await SearchIndex.open(this.paths);
        return this.index;
      }
      source(index, what2) {
        return `Source: the agent-tracking branch of this repository (tip ${index.tip.slice(0, 7)}, ${index.sessionCount} session${index.sessionCount === 1 ? "" : "s"}), ${what2}.`;
      }
      async searchHistory(a) {
        const index = await this.openIndex();
        const hits = index.search(a.query, { limit: a.limit ?? 5, session: a.session, type: a.type });
        const lines = [this.source(index, `full-text search for "${clip3(a.query, 80)}"`)];
        if (!hits.length) lines.push("No match.");
        hits.forEach((h, i) => {
          lines.push(
            `${i + 1}. [${h.type}] session ${short3(h.session)} \xB7 ${h.agent === "main" ? "main agent" : `${h.agentType} ${short3(h.agent)}`} \xB7 ${h.ts.slice(0, 16).replace("T", " ")} \xB7 score ${h.score}`,
            `   ${h.snippet}`
          );
        });
        return say(lines.join("\n"));
      }
      async similarErrors(a) {
        const index = await this.openIndex();
        const found2 = index.similarErrors(a.message, { limit: a.limit ?? 3 });
        const lines = [
          this.source(
            index,
            "errors of the same pattern (paths, ids and numbers masked, as the phase review groups them), then errors with its words"
          )
        ];
        if (!found2.length) lines.push("No earlier error like this one.");
        found2.forEach((e, i) => {
          lines.push(
            `${i + 1}. session ${short3(e.session)} \xB7 ${e.agent === "main" ? "main agent" : `${e.agentType} ${short3(e.agent)}`} \xB7 ${e.ts.slice(0, 16).replace("T", " ")} \xB7 ${e.match === "pattern" ? "same pattern" : `similar words (${e.score})`}`,
            `   error${e.action ? ` in ${clip3(e.action, 80)}` : e.tool ? ` in ${e.tool}` : ""}: ${clip3(e.message, 140)}`
          );
          if (e.next.length)
            lines.push(`   next: ${e.next.map((n2) => `${clip3(n2.action, 60)} (${n2.outcome})`).join(" \u2192 ")}`);
          else lines.push("   next: nothing recorded after it");
          lines.push(
            `   worked: ${e.resolved === true ? `yes (${e.fixedAfter === 1 ? "the next call" : `${e.fixedAfter} calls later`}, ${clip3(e.action ?? e.tool ?? "the same action", 60)} succeeded)` : e.resolved === false ? "no (the agent tried the same kind of call again; it has not succeeded)" : "not tried again"}`
          );
        });
        return say(lines.join("\n"));
      }
      async why(a) {
        const index = await this.openIndex();
        const file = a.file.startsWith(`${this.paths.workTree}/`) ? a.file.slice(this.paths.workTree.length + 1) : a.file;
        const h = index.fileHistory(file, a.line, a.limit ?? 3);
        const lines = [
          this.source(
            index,
            'the sessions and file changes that touched the file (line attribution is not recorded yet: a change "covers" the line when its diff hunks do)'
          )
        ];
        if (!h.total) lines.push(`No recorded change of ${file}.`);
        else
          lines.push(
            `${h.total} recorded change${h.total === 1 ? "" : "s"} of ${file}${h.total > h.changes.length ? ` (the ${h.changes.length} shown first)` : ""}:`
          );
        h.changes.forEach((c, i) => {
          const s2 = h.changes.slice(0, i).some((x) => x.session === c.session) ? null : index.session(c.session);
          lines.push(
            `${i + 1}. session ${short3(c.session)} \xB7 ${c.agent === "main" ? "main agent" : `${c.agentType} ${short3(c.agent)}`} \xB7 ${c.ts.slice(0, 16).replace("T", " ")} \xB7 ${c.operation ?? "change"}${c.touchesLine === true ? ` \xB7 covers line ${a.line}` : c.touchesLine === false ? ` \xB7 not line ${a.line}` : ""}`
          );
          if (s2?.firstPrompt) lines.push(`   session goal: ${clip3(s2.firstPrompt, 160)}`);
          if (c.decision) lines.push(`   decision before it: ${clip3(c.decision, 200)}`);
          lines.push(
            `   diff: ${clip3(c.diff.includes("@@") ? c.diff.slice(c.diff.indexOf("@@")) : c.diff, 160)}`
          );
        });
        return say(lines.join("\n"));
      }
      async handoff(a) {
        const { resumeHandoff: resumeHandoff2 } = await Promise.resolve().then(() => (init_resume(), resume_exports));
        const h = await resumeHandoff2(this.paths, { session: a.session, maxTokens: a.max_tokens ?? 800 });
        return say(
          `Source: the handoff of session ${h.session} (${h.snapshot ? `snapshot ${h.snapshot} and the events after it` : "its events"}), ${h.tokens} tokens of a ${h.budget} budget.

${h.markdown}`
        );
      }
      /** This session: the one Claude Code names, else this clone's latest. */
      async currentSession() {
        if (this.sessionId) return this.sessionId;
        const spooled = recentSpooledSessions(this.paths, 1, "");
        let best = spooled[0] ? { session: spooled[0].session, at: spooled[0].lastActivity ?? "" } : null;
        try {
          const branch = await TrackingBranch.open(this.paths);
          const host = os9.hostname();
          const gitBranch = readHead(this.paths).branch;
          for (const s2 of await branch.rawSessions()) {
            if (s2.host && s2.host !== host) continue;
            if (gitBranch && s2.branch && s2.branch !== gitBranch) continue;
            if (!best || (s2.lastActivity ?? "") > best.at)
              best = { session: s2.session, at: s2.lastActivity ?? "" };
          }
        } catch {
        }
        return best?.session ?? null;
      }
      async sessionCost() {
        const { flushWithTranscripts: flushWithTranscripts2 } = await Promise.resolve().then(() => (init_collect(), collect_exports));
        try {
          await flushWithTranscripts2(this.paths, { waitMs: 2e3 });
        } catch {
        }
        const id = await this.currentSession();
        if (!id) return fail("No session recorded in this repository yet.");
        let branch;
        let summary;
        try {
          branch = await TrackingBranch.open(this.paths);
          summary = await branch.findSession(id);
        } catch (e) {
          return fail(`Session ${id} is not on the agent-tracking branch yet (${e.message}).`);
        }
        const t = totals([summary], branch.prices);
        const rows2 = breakdown([summary], "agent", branch.prices);
        const tok = (x) => `${fmtInt2(x.input + x.output + x.cacheRead + x.cacheWrite)} tokens (input ${fmtInt2(x.input)}, output ${fmtInt2(x.output)}, cache read ${fmtInt2(x.cacheRead)}, cache write ${fmtInt2(x.cacheWrite)})`;
        const lines = [
          `Source: session ${id} on the agent-tracking branch (tip ${branch.tip.slice(0, 7)}; ${this.sessionId ? "the session Claude Code named" : "this clone's latest session"}), figures as of its last flush (${summary.lastActivity ?? "never"}). List-price estimates, as Claude Code reports them.`,
          `Total: ${tok(t.tokens)}, ${usdText(t.costUsd, t.unpricedTokens)}`,
          ...rows2.map((r2) => `- ${r2.key}: ${tok(r2.tokens)}, ${usdText(r2.costUsd, r2.unpricedTokens)}`)
        ];
        return say(lines.join("\n"));
      }
    };
    guard = (f) => async (a) => {
      try {
        return await f(a);
      } catch (e) {
        return fail(`agent-track: ${e.message}`);
      }
    };
  }
});

// src/recovery/continue.ts
var continue_exports = {};
__export(continue_exports, {
  claudeHome: () => claudeHome,
  commandLine: () => commandLine,
  cutAt: () => cutAt,
  prepareContinue: () => prepareContinue,
  rewritePaths: () => rewritePaths,
  storedTranscripts: () => storedTranscripts
});
import { randomUUID as randomUUID2 } from "node:crypto";
import * as fs41 from "node:fs";
import * as os10 from "node:os";
import * as path40 from "node:path";
async function storedTranscripts(branch, summary) {
  const root = `${summary.dir}/transcripts`;
  const out2 = [];
  for (const entry of await branch.listDir(root) ?? []) {
    const name = decodeName(entry.path) ?? entry.path;
    if (entry.type === "blob") {
      out2.push({ name, text: await branch.readFile(`${root}/${entry.path}`) ?? "" });
      continue;
    }
    const pieces = (await branch.listDir(`${root}/${entry.path}`) ?? []).filter((p) => PIECE_RE.test(p.path)).sort((a, b) => a.path.localeCompare(b.path));
    let text2 = "";
    for (const p of pieces) text2 += await branch.readFile(`${root}/${entry.path}/${p.path}`) ?? "";
    out2.push({ name, text: text2 });
  }
  return out2.sort((a, b) => a.name === "main" ? -1 : b.name === "main" ? 1 : a.name.localeCompare(b.name));
}
function rewritePaths(text2, from, to) {
  if (!from || from === to) return text2;
  const json = (s2) => JSON.stringify(s2).slice(1, -1);
  let out2 = text2;
  for (const [a, b] of [
    [json(from), json(to)],
    [from, to]
  ])
    out2 = out2.replace(new RegExp(`${escapeRe2(a)}(?![A-Za-z0-9_.-])`, "g"), () => b);
  return out2;
}
function cutAt(text2, ts) {
  const at = Date.parse(ts);
  const lines = text2.split("\n");
  const out2 = [];
  for (const line of lines) {
    if (!line) continue;
    const m = /"timestamp":"([^"]+)"/.exec(line);
    if (m && Date.parse(m[1]) > at) break;
    out2.push(line);
  }
  return out2.length ? `${out2.join("\n")}
` : "";
}
async function latestWithTranscripts(paths, branch) {
  const all = (await branch.sessions()).filter((s2) => s2.transcripts && Object.keys(s2.transcripts).length);
  if (!all.length)
    throw new Error(
      "no session on the agent-tracking branch has its conversation stored yet (sessions recorded with transcripts.keep on, from this release on)"
    );
  const gitBranch = readHead(paths).branch;
  const by = (list) => [...list].sort((a, b) => (a.lastActivity ?? "").localeCompare(b.lastActivity ?? "")).at(-1);
  return by(all.filter((s2) => s2.branch === gitBranch)) ?? by(all);
}
async function prepareContinue(paths, branch, opts = {}) {
  let summary;
  let cut2 = null;
  let snapshot = null;
  let worktree = null;
  if (opts.at) {
    const found2 = await findSnapshot(branch, opts.at);
    if (opts.session && !found2.summary.session.startsWith(opts.session))
      throw new Error(
        `snapshot ${opts.at} belongs to session ${found2.summary.session.slice(0, 8)}, not ${opts.session}`
      );
    summary = found2.summary;
    cut2 = found2.record.ts;
    snapshot = found2.record.id;
  } else
    summary = opts.session ? await branch.findSession(opts.session) : await latestWithTranscripts(paths, branch);
  const stored = await storedTranscripts(branch, summary);
  const main = stored.find((t) => t.name === "main");
  if (!main?.text)
    throw new Error(
      `session ${summary.session.slice(0, 8)} has no conversation on the branch (recorded before transcripts were kept, or with transcripts.keep: false)`
    );
  if (opts.at) {
    const target2 = opts.worktree ?? path40.join(
      path40.dirname(paths.workTree),
      `${path40.basename(paths.workTree)}-${snapshot.replace("@", "-")}`
    );
    worktree = (await restoreSnapshot(paths, branch, opts.at, { worktree: target2 })).worktree;
  }
  const cwd = worktree ?? path40.resolve(opts.worktree ?? paths.workTree);
  const id = opts.at ? randomUUID2() : summary.session;
  const projectDir = path40.join(claudeHome(opts.env), "projects", projectFolderName(cwd));
  const files = [];
  for (const t of stored) {
    let text2 = rewritePaths(t.text, summary.cwd ?? null, cwd);
    if (cut2 && !t.name.endsWith(".meta.json")) text2 = cutAt(text2, cut2);
    if (opts.at) text2 = text2.split(summary.session).join(id);
    if (!text2) continue;
    const file = `${t.name}${t.name.endsWith(".meta.json") ? "" : ".jsonl"}`;
    const rel2 = t.name === "main" ? `${id}.jsonl` : t.name.startsWith("subagents/") ? `${id}/${file}` : file;
    const dest = path40.join(projectDir, ...rel2.split("/"));
    if (!dest.startsWith(`${projectDir}${path40.sep}`)) continue;
    const bytes = Buffer.byteLength(text2);
    let size2 = -1;
    try {
      size2 = fs41.statSync(dest).size;
    } catch {
    }
    if (size2 >= bytes) {
      files.push({ name: t.name, path: dest, bytes: size2, action: "kept newer" });
      continue;
    }
    fs41.mkdirSync(path40.dirname(dest), { recursive: true, mode: 448 });
    fs41.writeFileSync(dest, text2, { mode: 384 });
    files.push({ name: t.name, path: dest, bytes, action: "written" });
  }
  return {
    session: id,
    continues: summary.session,
    fork: Boolean(opts.at),
    snapshot,
    cwd,
    projectDir,
    files,
    worktree,
    command: ["claude", "--resume", id]
  };
}
function commandLine(r2) {
  const q2 = (s2) => /^[\w@%+=:,./-]+$/.test(s2) ? s2 : `'${s2.replace(/'/g, `'\\''`)}'`;
  return `cd ${q2(r2.cwd)} && ${r2.command.map(q2).join(" ")}`;
}
var claudeHome, escapeRe2;
var init_continue = __esm({
  "src/recovery/continue.ts"() {
    "use strict";
    init_import();
    init_flush();
    init_layout();
    init_paths();
    init_restore();
    init_snapshot();
    claudeHome = (env = process.env) => env.CLAUDE_CONFIG_DIR || path40.join(os10.homedir(), ".claude");
    escapeRe2 = (s2) => s2.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
});

// src/cloud/archive-query.ts
var archive_query_exports = {};
__export(archive_query_exports, {
  openArchive: () => openArchive
});
import * as fs42 from "node:fs";
import * as path41 from "node:path";
async function openArchive(paths, url, onProgress) {
  const { bucket, prefix } = parseS3Url(url);
  const { client, sdk } = await s3Client();
  const objects = [];
  let token;
  try {
    do {
      const page2 = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix ? `${prefix}/` : void 0,
          ContinuationToken: token
        })
      );
      for (const o of page2.Contents ?? [])
        if (o.Key && PART.test(o.Key)) objects.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? "" });
      token = page2.IsTruncated ? page2.NextContinuationToken : void 0;
    } while (token);
  } catch (e) {
    throw new Error(s3Message(e, bucket));
  }
  if (!objects.length)
    throw new Error(
      `no archived or lake phase under ${url} (agent-track archive writes them; archive --lake the current ones too)`
    );
  const cache = path41.join(paths.trackingDir, "cache", "archive", bucket);
  const frozen = [];
  let n2 = 0;
  for (const o of objects) {
    const file = path41.join(cache, ...o.key.split("/"));
    onProgress?.(`downloading ${++n2}/${objects.length}`);
    const tag = `${file}.etag`;
    const cached = () => {
      try {
        return fs42.statSync(file).size === o.size && fs42.readFileSync(tag, "utf8") === o.etag;
      } catch {
        return false;
      }
    };
    if (cached()) continue;
    try {
      const got = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: o.key }));
      fs42.mkdirSync(path41.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs42.writeFileSync(tmp, await got.Body.transformToByteArray());
      fs42.renameSync(tmp, file);
      fs42.writeFileSync(tag, got.ETag ?? o.etag);
    } catch (e) {
      if (e.name === "InvalidObjectState") frozen.push(o.key);
      else throw new Error(s3Message(e, bucket));
    }
  }
  if (frozen.length) {
    const phases = [...new Set(frozen.map((k) => PART.exec(k)[2]))];
    throw new Error(
      `${frozen.length} Parquet object${frozen.length === 1 ? " is" : "s are"} still in Glacier (phases ${phases.join(", ")}): Deep Archive cannot be read before a restore (agent-track archive restore <phase>); archive with --storage-class GLACIER_IR or STANDARD_IA to query in place`
    );
  }
  const byView = /* @__PURE__ */ new Map();
  for (const o of objects) {
    const view = PART.exec(o.key)[3];
    byView.set(view, [...byView.get(view) ?? [], path41.join(cache, ...o.key.split("/"))]);
  }
  const lit3 = (s2) => `'${s2.replace(/'/g, "''")}'`;
  const setup = VIEWS.filter((v) => byView.has(v)).map(
    (v) => `CREATE VIEW ${v} AS SELECT * EXCLUDE (filename),
         regexp_extract(filename, '.*[/\\\\]repo=([^/\\\\]+)[/\\\\]phase=', 1) AS repo
       FROM read_parquet([${byView.get(v).map(lit3).join(", ")}], union_by_name = true, filename = true)`
  );
  const db = await openDuckDB(setup);
  return {
    ...db,
    files: objects.length,
    phases: [...new Set(objects.map((o) => PART.exec(o.key)[2]))].sort(),
    repos: [...new Set(objects.map((o) => PART.exec(o.key)[1]))].sort()
  };
}
var PART;
var init_archive_query = __esm({
  "src/cloud/archive-query.ts"() {
    "use strict";
    init_duckdb();
    init_archive();
    init_s3();
    PART = /(?:^|\/)repo=([^/]+)\/phase=([^/]+)\/(\w+)\/part-\d+\.parquet$/;
  }
});

// cli/index.ts
import * as fs43 from "node:fs";
import * as path42 from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";

// src/capture/codex-install.ts
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
var CODEX_HOOK_EVENTS = ["SessionStart", "Stop"];
var CODEX_HOOK_MARKER = " hook --agent codex";
var isOurs = (command) => typeof command === "string" && /(agent-track|subagent-tracking|bin\.cjs)/.test(command) && command.endsWith(CODEX_HOOK_MARKER);
var codexHookCommand = (binPath) => `node ${JSON.stringify(binPath)}${CODEX_HOOK_MARKER}`;
function withoutOurs(doc) {
  let removed = 0;
  const hooks = { ...doc.hooks ?? {} };
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const kept = groups.map((g) => {
      if (!Array.isArray(g?.hooks)) return g;
      const h = g.hooks.filter((x) => !isOurs(x?.command));
      removed += g.hooks.length - h.length;
      return { ...g, hooks: h };
    }).filter((g) => !Array.isArray(g?.hooks) || g.hooks.length > 0);
    if (kept.length) hooks[event] = kept;
    else delete hooks[event];
  }
  return { doc: { ...doc, hooks }, removed };
}
function readDoc(file) {
  if (!fs.existsSync(file)) return {};
  const text2 = fs.readFileSync(file, "utf8");
  if (!text2.trim()) return {};
  try {
    const v = JSON.parse(text2);
    if (v && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
  }
  throw new Error(`${file} is not a JSON object; fix or remove it, then run init again`);
}
function writeDoc(file, doc) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}
`);
  fs.renameSync(tmp, file);
}
function findCodex(workTree, env = process.env) {
  if (env.AGENT_TRACK_CODEX) return env.AGENT_TRACK_CODEX;
  const local = path.join(workTree, "node_modules", ".bin", "codex");
  if (fs.existsSync(local)) return local;
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const p = path.join(dir, "codex");
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}
async function installCodexHooks(workTree, binPath) {
  const hooksFile = path.join(workTree, ".codex", "hooks.json");
  const command = codexHookCommand(binPath);
  const before = readDoc(hooksFile);
  const { doc } = withoutOurs(before);
  for (const event of CODEX_HOOK_EVENTS) {
    const groups = Array.isArray(doc.hooks[event]) ? doc.hooks[event] : [];
    doc.hooks[event] = [...groups, { hooks: [{ type: "command", command, timeout: 30 }] }];
  }
  const changed = JSON.stringify(doc) !== JSON.stringify(before);
  if (changed) writeDoc(hooksFile, doc);
  const codex = findCodex(workTree);
  if (!codex)
    return {
      hooksFile,
      changed,
      command,
      trusted: 0,
      trustWarning: "Codex CLI not found (set AGENT_TRACK_CODEX to its binary): trust the hooks in Codex (/hooks) or run init --agent codex again"
    };
  try {
    const { trusted, projectTrusted } = await trustOurHooks(codex, workTree);
    return {
      hooksFile,
      changed,
      command,
      trusted,
      projectTrusted,
      trustWarning: trusted ? null : "Codex lists none of our hooks for this project: trust them in Codex (/hooks)"
    };
  } catch (e) {
    return {
      hooksFile,
      changed,
      command,
      trusted: 0,
      trustWarning: `Codex could not trust the hooks (${e.message}): trust them in Codex (/hooks)`
    };
  }
}
function uninstallCodexHooks(workTree) {
  const hooksFile = path.join(workTree, ".codex", "hooks.json");
  if (!fs.existsSync(hooksFile)) return { hooksFile, removed: 0 };
  const { doc, removed } = withoutOurs(readDoc(hooksFile));
  if (removed) writeDoc(hooksFile, doc);
  return { hooksFile, removed };
}
async function trustOurHooks(codex, workTree, timeoutMs = 3e4) {
  let projectTrusted = false;
  const child = spawn(codex, ["app-server"], { cwd: workTree, stdio: ["pipe", "pipe", "ignore"] });
  const waiting = /* @__PURE__ */ new Map();
  let buf = "";
  child.stdout.on("data", (d) => {
    buf += d.toString("utf8");
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const m = JSON.parse(line);
        if (typeof m?.id === "number" && waiting.has(m.id)) {
          waiting.get(m.id)(m);
          waiting.delete(m.id);
        }
      } catch {
      }
    }
  });
  const fail2 = new Promise((_, reject) => {
    child.on("error", (e) => reject(e));
    child.on("exit", (code2) => reject(new Error(`codex app-server exited (${code2})`)));
  });
  fail2.catch(() => {
  });
  let next = 0;
  const call = (method, params) => {
    const id = ++next;
    const answer = new Promise((resolve13) => waiting.set(id, resolve13));
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}
`);
    return Promise.race([answer, fail2]).then((m) => {
      if (m.error) throw new Error(`${method}: ${m.error.message ?? JSON.stringify(m.error)}`);
      return m.result;
    });
  };
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    await call("initialize", { clientInfo: { name: "agent-track", version: "0.1.0" } });
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "initialized" })}
`);
    const ours = async () => ((await call("hooks/list", { cwds: [workTree] }))?.data ?? []).flatMap((d) => Array.isArray(d?.hooks) ? d.hooks : []).filter((h) => isOurs(h?.command));
    let list = await ours();
    if (!list.length && fs.existsSync(path.join(workTree, ".codex", "hooks.json"))) {
      await call("config/batchWrite", {
        edits: [
          {
            keyPath: `projects.${JSON.stringify(workTree)}.trust_level`,
            value: "trusted",
            mergeStrategy: "upsert"
          }
        ]
      });
      projectTrusted = true;
      list = await ours();
    }
    const edits = list.filter((h) => h.trustStatus !== "trusted" && typeof h.currentHash === "string").map((h) => ({
      keyPath: `hooks.state.${JSON.stringify(h.key)}.trusted_hash`,
      value: h.currentHash,
      mergeStrategy: "upsert"
    }));
    if (edits.length) await call("config/batchWrite", { edits });
    return {
      trusted: (await ours()).filter((h) => h.trustStatus === "trusted").length,
      projectTrusted
    };
  } finally {
    clearTimeout(timer);
    child.kill();
  }
}

// src/capture/gemini-install.ts
import * as fs2 from "node:fs";
import * as path2 from "node:path";
var GEMINI_HOOK_EVENTS = ["SessionStart", "AfterAgent", "SessionEnd"];
var GEMINI_HOOK_MARKER = " hook --agent gemini";
var isOurs2 = (command) => typeof command === "string" && /(agent-track|subagent-tracking|bin\.cjs)/.test(command) && command.endsWith(GEMINI_HOOK_MARKER);
var geminiHookCommand = (binPath) => `node ${JSON.stringify(binPath)}${GEMINI_HOOK_MARKER}`;
function withoutOurs2(doc) {
  let removed = 0;
  const hooks = { ...doc.hooks ?? {} };
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const kept = groups.map((g) => {
      if (!Array.isArray(g?.hooks)) return g;
      const h = g.hooks.filter((x) => !isOurs2(x?.command));
      removed += g.hooks.length - h.length;
      return { ...g, hooks: h };
    }).filter((g) => !Array.isArray(g?.hooks) || g.hooks.length > 0);
    if (kept.length) hooks[event] = kept;
    else delete hooks[event];
  }
  return { doc: { ...doc, hooks }, removed };
}
function readDoc2(file) {
  if (!fs2.existsSync(file)) return {};
  const text2 = fs2.readFileSync(file, "utf8");
  if (!text2.trim()) return {};
  try {
    const v = JSON.parse(text2);
    if (v && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
  }
  throw new Error(`${file} is not a JSON object; fix or remove it, then run init again`);
}
function writeDoc2(file, doc) {
  fs2.mkdirSync(path2.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs2.writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}
`);
  fs2.renameSync(tmp, file);
}
function installGeminiHooks(workTree, binPath) {
  const settingsFile = path2.join(workTree, ".gemini", "settings.json");
  const command = geminiHookCommand(binPath);
  const before = readDoc2(settingsFile);
  const { doc } = withoutOurs2(before);
  for (const event of GEMINI_HOOK_EVENTS) {
    const groups = Array.isArray(doc.hooks[event]) ? doc.hooks[event] : [];
    doc.hooks[event] = [...groups, { hooks: [{ type: "command", command }] }];
  }
  const changed = JSON.stringify(doc) !== JSON.stringify(before);
  if (changed) writeDoc2(settingsFile, doc);
  return { settingsFile, changed, command };
}
function uninstallGeminiHooks(workTree) {
  const settingsFile = path2.join(workTree, ".gemini", "settings.json");
  if (!fs2.existsSync(settingsFile)) return { settingsFile, removed: 0 };
  const { doc, removed } = withoutOurs2(readDoc2(settingsFile));
  if (removed) writeDoc2(settingsFile, doc);
  return { settingsFile, removed };
}

// src/capture/agents-init.ts
var INIT_AGENTS = ["claude", "codex", "gemini"];
function parseAgents(value) {
  if (value === void 0) return ["claude"];
  const out2 = [];
  for (const raw of value.split(",")) {
    const a = raw.trim().toLowerCase() === "claude-code" ? "claude" : raw.trim().toLowerCase();
    if (!INIT_AGENTS.includes(a))
      throw new Error(`--agent takes ${INIT_AGENTS.join(", ")} (comma-separated), not '${raw.trim()}'`);
    if (!out2.includes(a)) out2.push(a);
  }
  if (!out2.length) throw new Error(`--agent takes ${INIT_AGENTS.join(", ")} (comma-separated)`);
  return out2;
}
async function initAgents(paths, binPath, agents) {
  const lines = [];
  let codex = null;
  let gemini = null;
  if (agents.includes("gemini")) {
    gemini = installGeminiHooks(paths.workTree, binPath);
    lines.push(
      gemini.changed ? `Gemini CLI hooks written to ${gemini.settingsFile}` : `Gemini CLI hooks already in ${gemini.settingsFile}`
    );
  }
  if (agents.includes("codex")) {
    codex = await installCodexHooks(paths.workTree, binPath);
    lines.push(
      codex.changed ? `Codex CLI hooks written to ${codex.hooksFile}` : `Codex CLI hooks already in ${codex.hooksFile}`
    );
    if (codex.projectTrusted)
      lines.push(
        `marked ${paths.workTree} as a trusted project in Codex (it loads a project's hooks only then)`
      );
    if (codex.trustWarning) lines.push(`warning: ${codex.trustWarning}`);
    else lines.push(`Codex trusts them (${codex.trusted} hook${codex.trusted === 1 ? "" : "s"})`);
  } else if (findCodex(paths.workTree)) {
    lines.push("Codex CLI is installed: `agent-track init --agent claude,codex` records its sessions too");
  }
  return { agents, codex, gemini, lines };
}
var uninstallAgents = (paths, agents) => ({
  codex: agents.includes("codex") ? uninstallCodexHooks(paths.workTree) : null,
  gemini: agents.includes("gemini") ? uninstallGeminiHooks(paths.workTree) : null
});

// cli/index.ts
init_collect();

// src/capture/decide.ts
init_config2();
init_spool();
init_redact2();
import { randomUUID } from "node:crypto";
import * as fs18 from "node:fs";
import * as path17 from "node:path";
var claudeMdSnippet = (cli = "agent-track") => `## Recording decisions

When you choose between approaches (a library, a design, a fix), record it in one line:

    ${cli} decide "<what you decided>" --why "<why>" --alternatives "<option a>; <option b>"
`;
function currentSession(paths, named) {
  if (named) return named;
  if (process.env.CLAUDE_CODE_SESSION_ID) return process.env.CLAUDE_CODE_SESSION_ID;
  let best = null;
  try {
    for (const f of fs18.readdirSync(paths.spoolDir)) {
      if (!f.endsWith(".jsonl")) continue;
      const mtime = fs18.statSync(path17.join(paths.spoolDir, f)).mtimeMs;
      if (!best || mtime > best.mtime) best = { id: f.slice(0, -6), mtime };
    }
  } catch {
    return null;
  }
  return best?.id ?? null;
}
async function recordDecision(paths, d) {
  const session = currentSession(paths, d.session);
  if (!session) throw new Error("no session is being recorded here; name one with --session ID");
  const config = await loadConfig(paths);
  const event = {
    id: randomUUID(),
    ts: (/* @__PURE__ */ new Date()).toISOString(),
    session,
    agent: d.agent ?? "main",
    type: "decision",
    source: "explicit",
    what: d.what,
    rationale: d.why ?? null,
    alternatives: d.alternatives ? d.alternatives.split(";").map((a) => a.trim()).filter(Boolean) : []
  };
  const redacted = redactValue(event, { extraPatterns: config.redaction.extraPatterns });
  appendEvents(paths, session, [redacted]);
  return redacted;
}

// cli/index.ts
init_import();
init_install();
init_workflow();
init_register();
init_figures();
init_pricing();
init_views();
init_restore();
init_resume();
init_snapshot();

// src/store/browse.ts
init_paths();
import { execFileSync as execFileSync6 } from "node:child_process";
import * as fs28 from "node:fs";
import * as path26 from "node:path";
var registry = (paths) => path26.join(paths.trackingDir, "browse.json");
function readRegistry(paths) {
  try {
    const r2 = JSON.parse(fs28.readFileSync(registry(paths), "utf8"));
    return Array.isArray(r2.dirs) ? r2.dirs.filter((d) => typeof d === "string") : [];
  } catch {
    return [];
  }
}
function writeRegistry(paths, dirs) {
  fs28.mkdirSync(paths.trackingDir, { recursive: true });
  const tmp = `${registry(paths)}.${process.pid}.tmp`;
  fs28.writeFileSync(tmp, JSON.stringify({ dirs }));
  fs28.renameSync(tmp, registry(paths));
}
var git5 = (cwd, args) => execFileSync6("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
function headOf2(paths, dir) {
  try {
    const common = path26.resolve(dir, git5(dir, ["rev-parse", "--git-common-dir"]));
    if (fs28.realpathSync(common) !== fs28.realpathSync(paths.commonDir)) return null;
    return git5(dir, ["rev-parse", "HEAD"]);
  } catch {
    return null;
  }
}
function defaultBrowseDir(paths) {
  return path26.join(path26.dirname(paths.workTree), `${path26.basename(paths.workTree)}-agent-tracking`);
}
function browse(paths, dir) {
  const tip = readRef(paths.commonDir, TRACKING_REF);
  if (!tip) throw new Error("nothing recorded yet: no agent-tracking branch (agent-track init starts one)");
  const abs = path26.resolve(dir);
  const known = readRegistry(paths);
  if (fs28.existsSync(abs) && headOf2(paths, abs)) {
    if (!known.includes(abs)) {
      let branch = "";
      try {
        branch = git5(abs, ["symbolic-ref", "-q", "HEAD"]);
      } catch {
        branch = "";
      }
      if (branch) throw new Error(`${abs} is a worktree with ${branch} checked out: give another folder`);
      writeRegistry(paths, [...known, abs]);
    }
    refreshBrowse(paths);
    return { dir: abs, tip, created: false };
  }
  if (fs28.existsSync(abs) && fs28.readdirSync(abs).length)
    throw new Error(`${abs} exists and is not empty: give a new or empty folder`);
  try {
    git5(paths.workTree, ["worktree", "add", "--detach", "-q", abs, tip]);
  } catch (e) {
    throw new Error(`git worktree add failed: ${String(e.stderr ?? e).trim()}`);
  }
  writeRegistry(paths, [...known.filter((d) => d !== abs), abs]);
  return { dir: abs, tip, created: true };
}
function refreshBrowse(paths) {
  const dirs = readRegistry(paths);
  if (!dirs.length) return [];
  const tip = readRef(paths.commonDir, TRACKING_REF);
  const kept = [];
  const moved = [];
  for (const dir of dirs) {
    const head = headOf2(paths, dir);
    if (!head) continue;
    kept.push(dir);
    if (!tip || head === tip) continue;
    try {
      git5(dir, ["checkout", "-q", "--detach", "-f", tip]);
      git5(dir, ["clean", "-q", "-f", "-d"]);
      moved.push(dir);
    } catch {
    }
  }
  if (kept.length !== dirs.length)
    try {
      writeRegistry(paths, kept);
    } catch {
    }
  return moved;
}
function unbrowse(paths, dir) {
  const abs = path26.resolve(dir);
  const known = readRegistry(paths);
  if (!known.includes(abs)) return false;
  try {
    git5(paths.workTree, ["worktree", "remove", "--force", abs]);
  } catch {
  }
  writeRegistry(
    paths,
    known.filter((d) => d !== abs)
  );
  return true;
}

// cli/index.ts
init_config2();
init_flush();
init_owner();
init_paths();
init_reader();

// cli/attribution.ts
import * as fs31 from "node:fs";
import * as path29 from "node:path";
var short = (s2, n2 = 8) => s2 ? s2.slice(0, n2) : "";
var oneLine2 = (s2, n2 = 60) => {
  const t = (s2 ?? "").replace(/\s+/g, " ").trim();
  return t.length > n2 ? `${t.slice(0, n2 - 1)}\u2026` : t;
};
function registerAttribution(program2, deps) {
  const { repo: repo2, print: print2, fail: fail2 } = deps;
  const open = async () => {
    const { Attribution: Attribution2 } = await Promise.resolve().then(() => (init_blame(), blame_exports));
    return Attribution2.open(repo2());
  };
  program2.command("blame <file>").description(
    "each line of a file with who wrote it: an agent (session, agent type, tool), a person (git commit), or unknown"
  ).option("--rev <rev>", "the file at this commit (default: the work tree)").option(
    "--json",
    "print {file, rev, lines: [{line, kind, session, agent, agentType, tool, toolUseId, prompt, ts, commit}]}"
  ).action(async (file, opts) => {
    const attr = await open();
    const rel2 = attr.repoPath(file, process.cwd());
    const { result, texts } = attr.blameWithText(rel2, opts.rev ?? null);
    if (opts.json) return print2(result);
    const width = String(result.lines.length).length;
    const who2 = (r2) => r2.kind === "agent" ? `${(r2.agentType ?? "agent").padEnd(16).slice(0, 16)} ${short(r2.session)} ${(r2.tool ?? "").padEnd(9)}` : r2.kind.padEnd(36);
    print2(
      result.lines.map(
        (r2, i) => `${(short(r2.commit) || "no commit").padEnd(9)} ${who2(r2)} ${String(r2.line).padStart(width)}) ${texts[i] ?? ""}`
      ).join("\n")
    );
  });
  program2.command("why <location>").description(
    "the chain behind one line (<file>:<line>): the tool call and its diff, the agent and its task, the decision, the prompt, the session, the commit"
  ).option("--rev <rev>", "the line as it is at this commit (default: the work tree)").option("--json", "print the chain as JSON").action(async (location, opts) => {
    const m = /^(.*):(\d+)$/.exec(location);
    if (!m) fail2(`give <file>:<line>, e.g. src/app.ts:42 (got '${location}')`);
    const attr = await open();
    const { whyLine: whyLine2 } = await Promise.resolve().then(() => (init_why(), why_exports));
    const w = await whyLine2(attr, attr.repoPath(m[1], process.cwd()), Number(m[2]), opts.rev ?? null);
    if (opts.json) return print2(w);
    const out2 = [`${w.file}:${w.line}  ${w.text}`, ""];
    if (w.kind !== "agent" || !w.change) {
      out2.push(
        w.kind === "human" ? `written by a person: no recorded agent change wrote this content` : "not committed, and no recorded agent change wrote this content"
      );
    } else {
      out2.push(
        `written by ${w.agent?.id === "main" ? "the main agent" : `subagent ${w.agent?.id} (${w.agent?.type ?? "unknown type"})`}${w.agent?.model ? ` on ${w.agent.model}` : ""}`
      );
      out2.push(
        `  tool: ${w.change.tool ?? "?"} (${w.change.operation}) at ${w.change.ts}, tool_use ${w.change.toolUseId ?? "?"}`
      );
      if (w.agent?.task) {
        out2.push(`  task: ${w.agent.task.description ?? "(no description)"}`);
        if (w.agent.task.prompt) out2.push(`        ${oneLine2(w.agent.task.prompt, 200)}`);
        if (w.agent.task.decision) out2.push(`  launched because: ${oneLine2(w.agent.task.decision, 200)}`);
      }
      if (w.decision) out2.push(`  decision: ${oneLine2(w.decision, 200)}`);
      if (w.prompt) out2.push(`  prompt: ${oneLine2(w.prompt, 200)}`);
      if (w.session)
        out2.push(
          `  session: ${w.session.id} (started ${w.session.started ?? "?"}${w.session.ended ? `, ended ${w.session.ended}` : ""})${w.session.handoffPath ? `; handoff on the branch at ${w.session.handoffPath}` : ""}`
        );
      for (const c of w.session?.commits ?? [])
        out2.push(
          `  commit made while it ran: ${c.sha.slice(0, 12)} ${oneLine2(c.subject, 60)}${c.byAgent ? " (by the agent)" : ""}`
        );
      if (w.change.diff) out2.push("", w.change.diff.trimEnd());
      else if (typeof w.change.input?.command === "string")
        out2.push("", `$ ${w.change.input.command}`);
    }
    out2.push(
      "",
      w.commit ? `commit ${w.commit.sha.slice(0, 12)} ${w.commit.subject} (${w.commit.author}, ${w.commit.date})` : "not committed yet"
    );
    print2(out2.join("\n"));
  });
  program2.command("log [range]").description(
    "commits (default: the last 20 of HEAD) with the sessions that wrote their lines and the lines agents and people added"
  ).option("-n, --max-count <n>", "at most this many commits").option(
    "--session <id>",
    "the commits this session made (committed while it ran, or by its agents\u2019 git commit)"
  ).option("--json", "print {commits: [{sha, subject, sessions, agentLines, humanLines, byAgentType}]}").action(
    async (range, opts) => {
      if (range && opts.session) fail2("give a range or --session, not both");
      const max = opts.maxCount === void 0 ? range ? void 0 : 20 : Number(opts.maxCount);
      if (max !== void 0 && (!Number.isInteger(max) || max < 1))
        fail2("--max-count takes a positive whole number");
      const attr = await open();
      const { logCommits: logCommits2 } = await Promise.resolve().then(() => (init_blame(), blame_exports));
      const { runGit: runGit3 } = await Promise.resolve().then(() => (init_git2(), git_exports));
      if (!range) {
        try {
          runGit3(attr.paths.workTree, ["rev-parse", "--verify", "--quiet", "HEAD"]);
        } catch {
          return print2(opts.json ? { commits: [] } : "(no commits yet)");
        }
      }
      let commits;
      if (opts.session) {
        if (!attr.branch) fail2("nothing recorded yet: no agent-tracking branch in this clone");
        const { attributeCommits: attributeCommits2 } = await Promise.resolve().then(() => (init_blame(), blame_exports));
        const { sessionCommits: sessionCommits2 } = await Promise.resolve().then(() => (init_why(), why_exports));
        const summary = await attr.branch.findSession(opts.session);
        const made = sessionCommits2(attr.paths.workTree, summary, await attr.branch.events(summary));
        commits = attributeCommits2(
          attr,
          made.slice(-(opts.maxCount === void 0 ? made.length : max)).reverse()
        );
      } else commits = logCommits2(attr, range ?? "HEAD", max);
      if (opts.json)
        return print2({
          commits: commits.map((c) => ({
            sha: c.sha,
            subject: c.subject,
            sessions: c.sessions,
            agentLines: c.agentLines,
            humanLines: c.humanLines,
            byAgentType: c.byAgentType
          }))
        });
      print2(
        commits.map((c) => {
          const total = c.agentLines + c.humanLines;
          const share = total ? ` (${Math.round(100 * c.agentLines / total)}% agent)` : "";
          const types = Object.entries(c.byAgentType).map(([t, n2]) => `${t} ${n2}`).join(", ");
          return `${c.sha.slice(0, 8)} ${oneLine2(c.subject, 50)}
    +${c.agentLines} agent, +${c.humanLines} human${share}${types ? `; ${types}` : ""}${c.sessions.length ? `; sessions ${c.sessions.map((s2) => short(s2)).join(", ")}` : ""}`;
        }).join("\n") || "(no commits)"
      );
    }
  );
  const exp = program2.command("export").description("export the recorded history in an open format");
  exp.command("agent-trace").description("an Agent Trace record (v0.1.0) of a commit: which lines of which files each session wrote").option("--rev <rev>", "the commit (default: HEAD)").option("--out <dir>", "write <dir>/<commit>.json instead of printing the record").action(async (opts) => {
    const attr = await open();
    const { traceRecord: traceRecord2 } = await Promise.resolve().then(() => (init_agent_trace(), agent_trace_exports));
    const record = traceRecord2(attr, opts.rev ?? "HEAD", deps.version);
    if (!opts.out) return print2(record);
    const dir = path29.resolve(opts.out);
    fs31.mkdirSync(dir, { recursive: true });
    const file = path29.join(dir, `${record.vcs.revision}.json`);
    fs31.writeFileSync(file, `${JSON.stringify(record, null, 2)}
`);
    print2(
      `wrote ${file} (${record.files.length} file${record.files.length === 1 ? "" : "s"} with agent lines)`
    );
  });
  const trailers = program2.command("trailers").description(
    "commit trailers Agent-Session and Agent-Lines (a prepare-commit-msg hook; on while attribution.trailers is true)"
  );
  trailers.command("install").description("install the prepare-commit-msg hook (a hook of your own is left alone)").option("--json", "print the result as JSON").action(async (opts) => {
    const { installTrailerHook: installTrailerHook2 } = await Promise.resolve().then(() => (init_trailers(), trailers_exports));
    const r2 = installTrailerHook2(repo2(), deps.cli());
    if (opts.json) return print2(r2);
    if (!r2.installed) fail2(r2.reason ?? "not installed");
    print2(
      `installed ${r2.file}; trailers are added while attribution.trailers is true in .agent-tracking.yml`
    );
  });
  trailers.command("uninstall").description("remove our prepare-commit-msg hook").action(async () => {
    const { uninstallTrailerHook: uninstallTrailerHook2 } = await Promise.resolve().then(() => (init_trailers(), trailers_exports));
    print2(
      uninstallTrailerHook2(repo2()) ? "removed the prepare-commit-msg hook" : "no hook of ours to remove"
    );
  });
  trailers.command("add <message-file> [source] [sha]").description("what the hook runs: add the trailers for the staged lines to a commit message file").action(async (file, source, sha) => {
    const { addTrailers: addTrailers2 } = await Promise.resolve().then(() => (init_trailers(), trailers_exports));
    await addTrailers2(repo2(), file, source, sha);
  });
}

// cli/cloud-archive.ts
init_config2();
var mb = (n2) => `${(n2 / 2 ** 20).toFixed(2)} MB`;
function registerArchive(program2, { repo: repo2, print: print2, fail: fail2 }) {
  const progress2 = (m) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1B[K${m}`);
  };
  const done2 = () => {
    if (process.stderr.isTTY) process.stderr.write("\r\x1B[K");
  };
  const archive2 = program2.command("archive").description(
    "move phases more than --keep behind the current one to S3 (Parquet per view + the raw files), then prune them from the branch tip"
  ).option("--bucket <name>", "the S3 bucket (default: archive.bucket in .agent-tracking.yml)").option("--prefix <prefix>", "key prefix (default: archive.prefix, agent-tracking)").option("--keep <n>", "phases kept on the branch behind the current one (default: archive.keep, 2)").option("--storage-class <class>", "S3 storage class (default: archive.storageClass, DEEP_ARCHIVE)").option("--dry-run", "export and measure, upload and prune nothing").option(
    "--lake",
    "also export the current phases as Parquet under the same keys (an organisation's lake; default: archive.lake)"
  ).option(
    "--no-compact",
    "do not compact the branch afterwards (default: archive.compact, true with a bucket)"
  ).option("--no-push", "compact this clone only: do not push the new root").option("--json", "print the result as JSON").addHelpText(
    "after",
    `
With --lake every repository writes s3://BUCKET/PREFIX/repo=<owner-repo>/phase=<name>/<view>/part-0.parquet
for its current phases too (replaced in place when a phase grows, nothing sent when it did not), so
one query covers all of them: agent-track query --archive s3://BUCKET/PREFIX "select repo, ... group by repo".
The repo= key: archive.repo, else the remote's owner/name (lower-cased), else local-<first commit>.`
  ).action(
    async (opts) => {
      const paths = repo2();
      const config = (await loadConfig(paths)).archive;
      const bucket = opts.bucket ?? config.bucket;
      if (!bucket) fail2("name the bucket: --bucket NAME, or archive.bucket in .agent-tracking.yml");
      const keep = opts.keep === void 0 ? config.keep : Number(opts.keep);
      if (!Number.isInteger(keep) || keep < 0)
        fail2(`--keep takes a whole number of phases, not '${opts.keep}'`);
      const { archive: run } = await Promise.resolve().then(() => (init_archive(), archive_exports));
      const r2 = await run(paths, {
        bucket,
        prefix: opts.prefix ?? config.prefix,
        keep,
        storageClass: opts.storageClass ?? config.storageClass,
        dryRun: opts.dryRun,
        lake: opts.lake ?? config.lake,
        repo: config.repo,
        onProgress: progress2
      });
      done2();
      const compacted = !opts.dryRun && opts.compact && config.compact ? await (async () => {
        const { runCompact: runCompact2, compactRemote: compactRemote2 } = await Promise.resolve().then(() => (init_compact3(), compact_exports3));
        const { CompactRefused: CompactRefused2 } = await Promise.resolve().then(() => (init_compact2(), compact_exports2));
        try {
          return await runCompact2(paths, {
            keep,
            remote: await compactRemote2(paths, opts.push),
            prompt: true
          });
        } catch (e) {
          if (e instanceof CompactRefused2) fail2(e.message);
          throw e;
        }
      })() : null;
      if (opts.json) return print2(compacted ? { ...r2, compacted } : r2);
      const lines = r2.phases.length ? r2.phases.map(
        (p) => `${r2.dryRun ? "would archive" : "archived"} ${p.phase}${p.resumed ? " (its upload had finished before)" : ""}: ${p.objects} objects, ${mb(p.bytes)} (Parquet ${mb(p.parquetBytes)}, raw ${mb(p.rawBytes)}), ${p.rows.events} events -> s3://${bucket}/${p.manifestKey}`
      ) : [`nothing to archive: no phase is more than ${keep} behind the current one`];
      if (r2.lake) {
        const said = {
          exported: r2.dryRun ? "would export" : "exported",
          unchanged: "unchanged",
          archived: "left alone (an archive manifest holds it)",
          behind: "left alone (S3 holds an export of a newer branch: fetch agent-tracking first)"
        };
        if (!r2.lake.phases.length)
          lines.push(`lake (repo=${r2.lake.repo}): no current phase has a session yet`);
        for (const p of r2.lake.phases)
          lines.push(
            `lake ${p.phase}: ${said[p.outcome]}${p.outcome === "exported" || p.outcome === "unchanged" ? `, ${p.uploaded} uploaded, ${p.unchanged} already there, ${mb(p.bytes)}, ${p.rows.events ?? 0} events` : ""} -> s3://${bucket}/${p.prefix}/`
          );
      }
      if (compacted) lines.push((await Promise.resolve().then(() => (init_compact3(), compact_exports3))).describeCompact(compacted));
      print2(lines.join("\n"));
    }
  );
  archive2.command("list").description("the archived phases: where they are, their size, when").option("--json", "print the list as JSON").action(async (opts, cmd) => {
    const { listArchived: listArchived2 } = await Promise.resolve().then(() => (init_archive(), archive_exports));
    const list = await listArchived2(repo2());
    if (opts.json || cmd.parent?.opts().json) return print2(list);
    if (!list.length) return print2("no phase is archived");
    print2(
      list.map(
        (m) => `${m.phase}  s3://${m.bucket}/${m.manifestKey}  ${m.objects} objects, ${mb(m.bytes)}, ${m.storageClass}, ${m.archivedAt}`
      ).join("\n")
    );
  });
  archive2.command("restore <phase>").description(
    "lay an archived phase back on the branch, byte for byte; objects still in Glacier get a restore request (run again once ready)"
  ).option("--tier <tier>", "Glacier retrieval tier: Standard (up to 12 h) or Bulk (up to 48 h)", "Standard").option("--json", "print the result as JSON").action(async (phase2, opts, cmd) => {
    opts.json ||= cmd.parent?.opts().json;
    if (opts.tier !== "Standard" && opts.tier !== "Bulk")
      fail2(`--tier is Standard or Bulk, not '${opts.tier}'`);
    const { restorePhase: restorePhase2 } = await Promise.resolve().then(() => (init_archive(), archive_exports));
    const r2 = await restorePhase2(repo2(), phase2, {
      tier: opts.tier,
      onProgress: progress2
    });
    done2();
    if (opts.json) return print2(r2);
    print2(
      r2.outcome === "restored" ? `restored ${phase2} onto the agent-tracking branch` : `${phase2} is still in Glacier: ${r2.outcome === "requested" ? "restore requested" : "a restore is in progress"} for ${r2.waiting.length} object${r2.waiting.length === 1 ? "" : "s"}; ready by about ${r2.readyBy} (${opts.tier} tier). Run this again then.`
    );
  });
}

// cli/format.ts
init_figures();
function table2(headers, rows2, right = []) {
  const cells = [headers, ...rows2.map((r2) => r2.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r2) => (r2[i] ?? "").length)));
  return cells.map(
    (r2) => r2.map((c, i) => right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ").trimEnd()
  ).join("\n");
}
var fmtInt = (n2) => n2.toLocaleString("en-US");
var fmtUsd = (n2, unpricedTokens = 0) => usdText(n2, unpricedTokens);
var fmtMs = (ms) => ms === null ? "" : ms < 1e3 ? `${ms} ms` : `${(ms / 1e3).toFixed(1)} s`;
var clip2 = (s2, n2) => {
  const one = s2.replace(/\s+/g, " ").trim();
  return one.length > n2 ? `${one.slice(0, n2 - 3)}...` : one;
};
function renderTree(node, indent = "") {
  const lines = [];
  const head = node.agent === "main" ? "main agent" : `${node.agentType ?? "agent"} ${node.agent}${node.description ? ` \u2014 ${node.description}` : ""}${node.parent && node.parent !== "main" ? ` (launched by ${node.parent})` : ""}`;
  const spend = node.tokens.input + node.tokens.output + node.tokens.cacheRead + node.tokens.cacheWrite > 0 ? `  [${fmtInt(node.tokens.input)} in, ${fmtInt(node.tokens.output)} out, ${fmtInt(node.tokens.cacheRead)} cache read, ${fmtInt(node.tokens.cacheWrite)} cache write: ${fmtUsd(node.costUsd, node.unpricedTokens)}]` : "";
  lines.push(`${indent}${head}${spend}`);
  const pad = `${indent}  `;
  if (node.prompt) lines.push(`${pad}task: ${clip2(node.prompt, 100)}`);
  for (const item of node.items) {
    const t = ("call" in item ? item.call.ts : item.ts).slice(11, 19);
    if (item.kind === "tool") {
      const c = item.call;
      const mark2 = c.success === null ? "\u2026" : c.success ? "\u2713" : c.outcome === "rejected" ? "\u2298" : c.outcome === "interrupted" ? "\u2016" : "\u2717";
      lines.push(
        `${pad}${t} ${mark2} ${c.tool} ${clip2(c.summary, 70)}${c.durationMs !== null ? ` (${fmtMs(c.durationMs)})` : ""}`
      );
      if (c.rationale) lines.push(`${pad}         why: ${clip2(c.rationale, 90)}`);
      if (c.error)
        lines.push(
          `${pad}         ${c.outcome === "rejected" ? "declined" : c.outcome === "interrupted" ? "interrupted" : "error"}: ${clip2(c.error, 90)}`
        );
      if (c.next) lines.push(`${pad}         then: ${clip2(c.next, 90)}`);
    } else if (item.kind === "file") {
      const added = item.diff.split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++")).length;
      const removed = item.diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---")).length;
      lines.push(`${pad}${t} \xB1 ${item.operation} ${item.path} (+${added} -${removed})`);
    } else if (item.kind === "decision") {
      lines.push(`${pad}${t} \u25C6 decided: ${clip2(item.what, 80)}`);
      if (item.rationale) lines.push(`${pad}         why: ${clip2(item.rationale, 90)}`);
      if (item.alternatives.length)
        lines.push(`${pad}         instead of: ${clip2(item.alternatives.join("; "), 80)}`);
    } else {
      lines.push(`${pad}${t} ! ${item.tool ?? "error"}: ${clip2(item.message, 90)}`);
    }
  }
  if (node.agent !== "main" && (node.outcome || node.ended))
    lines.push(`${pad}outcome: ${node.outcome ? clip2(node.outcome, 100) : "ended"}`);
  for (const child of node.children) lines.push(...renderTree(child, pad));
  return lines;
}

// cli/cloud-drive.ts
var mb2 = (n2) => `${(n2 / 1024 / 1024).toFixed(n2 < 10 * 1024 * 1024 ? 2 : 1)} MB`;
var nonNegInt2 = (name) => (v) => {
  const n2 = Number(v);
  if (!Number.isInteger(n2) || n2 < 0) throw new Error(`${name} must be a whole number, 0 or more`);
  return n2;
};
function registerDriveCommands(program2, helpers) {
  const { repo: repo2, print: print2, UserError: UserError2 } = helpers;
  program2.command("backup").description(
    "back the current phase and the previous one(s) up to Google Drive (only what changed); remove older phases once archived in S3"
  ).option(
    "--folder <id>",
    "the Drive folder to back up under (default: backup.driveFolderId, else agent-tracking)"
  ).option(
    "--shared-drive <id>",
    "a Shared Drive (default: backup.sharedDriveId; required with a service account)"
  ).option("--keep <n>", "phases kept before the current one (default: backup.keep, 1)", nonNegInt2("--keep")).option(
    "--resumable-over <bytes>",
    "files larger than this go as resumable uploads (default 5 MB)",
    nonNegInt2("--resumable-over")
  ).option("--dry-run", "list what would be uploaded; change nothing on Drive").option("--json", "print {uploaded, updated, unchanged, removedPhases, keptUnarchived, bytes} as JSON").addHelpText(
    "after",
    `
Credentials (environment only):
  AGENT_TRACK_DRIVE_CLIENT_ID, AGENT_TRACK_DRIVE_CLIENT_SECRET, AGENT_TRACK_DRIVE_REFRESH_TOKEN
      an OAuth client of type "Desktop app" and a refresh token (agent-track auth drive makes one)
  GOOGLE_APPLICATION_CREDENTIALS
      a service account or workload identity; needs a Shared Drive (backup.sharedDriveId)`
  ).action(
    async (opts) => {
      const paths = repo2();
      const { backupToDrive: backupToDrive2, DriveCredentialsError: DriveCredentialsError2, DriveError: DriveError2 } = await Promise.resolve().then(() => (init_drive(), drive_exports));
      const chunk = Number(process.env.AGENT_TRACK_DRIVE_CHUNK_BYTES);
      const tty = Boolean(process.stderr.isTTY) && !opts.json;
      let r2;
      try {
        r2 = await backupToDrive2(paths, {
          folderId: opts.folder,
          sharedDriveId: opts.sharedDrive,
          keep: opts.keep,
          dryRun: opts.dryRun,
          resumableThreshold: opts.resumableOver,
          chunkSize: Number.isInteger(chunk) && chunk > 0 ? chunk : void 0,
          onProgress: tty ? (p) => process.stderr.write(`\r\x1B[Kbackup: ${p.files}/${p.totalFiles} files, ${mb2(p.bytes)}`) : void 0
        });
      } catch (e) {
        if (tty) process.stderr.write("\r\x1B[K");
        if (e instanceof DriveCredentialsError2 || e instanceof DriveError2) throw new UserError2(e.message);
        throw e;
      }
      if (tty) process.stderr.write("\r\x1B[K");
      if (opts.json) {
        const { uploaded, updated, unchanged, removedPhases, keptUnarchived, bytes } = r2;
        return print2({
          uploaded,
          updated,
          unchanged,
          removedPhases,
          keptUnarchived,
          bytes,
          phases: r2.phases,
          folder: r2.folder,
          ...r2.dryRun ? { dryRun: true, wouldUpload: r2.wouldUpload } : {}
        });
      }
      const lines = [];
      if (r2.dryRun) {
        lines.push(
          `would upload ${fmtInt(r2.uploaded)} new and update ${fmtInt(r2.updated)} changed file${r2.uploaded + r2.updated === 1 ? "" : "s"} (${mb2(r2.bytes)}); ${fmtInt(r2.unchanged)} unchanged`,
          ...(r2.wouldUpload ?? []).map((p) => `  ${r2.folder}/${p}`)
        );
        if (r2.removedPhases.length)
          lines.push(`would remove from Drive (archived in S3): ${r2.removedPhases.join(", ")}`);
      } else {
        lines.push(
          `backed up ${r2.phases.join(", ")} to Drive (${r2.folder}/): ${fmtInt(r2.uploaded)} uploaded, ${fmtInt(r2.updated)} updated, ${fmtInt(r2.unchanged)} unchanged, ${mb2(r2.bytes)} sent`
        );
        if (r2.removedPhases.length)
          lines.push(`removed from Drive (archived in S3): ${r2.removedPhases.join(", ")}`);
      }
      if (r2.keptUnarchived.length)
        lines.push(
          `kept on Drive, not archived in S3 yet (agent-track archive): ${r2.keptUnarchived.join(", ")}`
        );
      print2(lines.join("\n"));
    }
  );
  const authCmd = program2.commands.find((c) => c.name() === "auth") ?? program2.command("auth").description("credentials for the cloud tiers");
  authCmd.command("drive").description(
    "get a Google Drive refresh token for agent-track backup (the OAuth loopback flow of a desktop client; prints the token, stores nothing)"
  ).option("--client-id <id>", "the OAuth client id (default: AGENT_TRACK_DRIVE_CLIENT_ID)").option("--client-secret <secret>", "the OAuth client secret (default: AGENT_TRACK_DRIVE_CLIENT_SECRET)").option("--no-open", "only print the consent URL; do not try to open a browser").action(async (opts) => {
    const { driveLoopbackAuth: driveLoopbackAuth2 } = await Promise.resolve().then(() => (init_drive_auth(), drive_auth_exports));
    const { DriveCredentialsError: DriveCredentialsError2 } = await Promise.resolve().then(() => (init_drive(), drive_exports));
    let r2;
    try {
      r2 = await driveLoopbackAuth2({
        clientId: opts.clientId,
        clientSecret: opts.clientSecret,
        open: opts.open,
        onUrl: (url) => process.stderr.write(
          `Open this URL in a browser, sign in and allow access (waiting up to 5 minutes):

${url}

`
        )
      });
    } catch (e) {
      if (e instanceof DriveCredentialsError2) throw new UserError2(e.message);
      throw e;
    }
    print2(
      [
        `refresh token: ${r2.refreshToken}`,
        "",
        "Set it where agent-track backup runs (it is not stored anywhere):",
        `  export AGENT_TRACK_DRIVE_REFRESH_TOKEN='${r2.refreshToken}'`,
        "or as an Actions secret:",
        "  gh secret set AGENT_TRACK_DRIVE_REFRESH_TOKEN   (paste the token when asked)",
        "with AGENT_TRACK_DRIVE_CLIENT_ID and AGENT_TRACK_DRIVE_CLIENT_SECRET set the same way."
      ].join("\n")
    );
  });
}

// cli/index.ts
init_compact3();

// cli/dashboard.ts
init_collect();
init_owner();
init_paths();
import * as fs39 from "node:fs";
import * as path38 from "node:path";
import { pathToFileURL } from "node:url";
var size = (n2) => n2 >= 1 << 20 ? `${(n2 / (1 << 20)).toFixed(2)} MB` : `${(n2 / 1024).toFixed(1)} KB`;
function registerDashboard(program2) {
  program2.command("dashboard").description(
    "write the dashboard: one HTML file (data and charts inline, works from file://) with an overview, session timelines, agents and tools, and recovery"
  ).option(
    "--out <dir>",
    "the folder to write index.html into (default: <git common dir>/agent-tracking/dashboard, outside the work tree)"
  ).option("--phase <name>", "only this phase (default: every phase)").option("--serve <port>", "also serve it on http://127.0.0.1:<port>/ (0: a free port) until Ctrl-C").option("--json", 'print {"file", "url", "bytes", "sessions", ...} as JSON').action(async (opts) => {
    const paths = findRepo(process.cwd());
    if (!paths)
      throw new Error(
        "not inside a git repository (run this in the repository whose agent sessions you track)"
      );
    let port = null;
    if (opts.serve !== void 0) {
      port = Number(opts.serve);
      if (!/^\d+$/.test(opts.serve) || port > 65535)
        throw new Error(
          `--serve takes a port number (0 to 65535; 0 picks a free one), not '${opts.serve}'`
        );
    }
    if (fs39.existsSync(paths.trackingDir)) await flushWithTranscripts(paths, { waitMs: 6e4 });
    const { dashboardData: dashboardData2 } = await Promise.resolve().then(() => (init_data(), data_exports));
    const { renderPage: renderPage2 } = await Promise.resolve().then(() => (init_page(), page_exports));
    const data = await dashboardData2(paths, { phase: opts.phase });
    const html = renderPage2(data);
    const dir = path38.resolve(opts.out ?? path38.join(paths.trackingDir, "dashboard"));
    mkdirOwned(dir);
    const file = path38.join(dir, "index.html");
    const tmp = `${file}.${process.pid}.tmp`;
    fs39.writeFileSync(tmp, html);
    own(tmp);
    fs39.renameSync(tmp, file);
    const bytes = Buffer.byteLength(html);
    const result = {
      file,
      url: pathToFileURL(file).href,
      bytes,
      sessions: data.sessions.length,
      timelines: Object.keys(data.timelines).length,
      snapshots: data.snapshots.length,
      empty: data.empty
    };
    if (port === null) {
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}
`);
      else
        process.stdout.write(
          `wrote ${file} (${size(bytes)}, ${data.sessions.length} session${data.sessions.length === 1 ? "" : "s"})
open ${result.url}
`
        );
      return;
    }
    const { serveDashboard: serveDashboard2 } = await Promise.resolve().then(() => (init_serve(), serve_exports));
    const served = await serveDashboard2(html, port);
    if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, served: served.url })}
`);
    else process.stdout.write(`wrote ${file} (${size(bytes)})
serving ${served.url} (Ctrl-C stops)
`);
    const stop = () => {
      void served.close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

// cli/init-agents.ts
init_install();
function out(v) {
  process.stdout.write(`${typeof v === "string" ? v : JSON.stringify(v, null, 2)}
`);
}
async function initWithAgents(paths, bin, agents, opts) {
  if (opts.uninstall) {
    const claude = agents.includes("claude") ? uninstallHooks(paths, bin) : null;
    const { codex, gemini } = uninstallAgents(paths, agents);
    if (opts.json) return out({ agents, claude, codex, gemini });
    return out(
      [
        claude ? `removed ${claude.removed} Claude Code hook entries and ${claude.commandsRemoved} slash commands` : "",
        codex ? `removed ${codex.removed} Codex CLI hook entries from ${codex.hooksFile}` : "",
        gemini ? `removed ${gemini.removed} Gemini CLI hook entries from ${gemini.settingsFile}` : ""
      ].filter(Boolean).join("\n")
    );
  }
  const r2 = await initRepository(paths, bin, { plugin: !agents.includes("claude") });
  const a = await initAgents(paths, bin, agents);
  if (opts.json)
    return out({ ...r2, claudeHooks: agents.includes("claude"), agents, codex: a.codex, gemini: a.gemini });
  out(
    [
      r2.branchCreated ? `created branch agent-tracking (${r2.tip.slice(0, 7)})` : `branch agent-tracking exists (${r2.tip.slice(0, 7)})`,
      agents.includes("claude") ? r2.settingsChanged ? `Claude Code hooks written to ${r2.settingsFile}` : `Claude Code hooks already in ${r2.settingsFile}` : "",
      ...a.lines,
      `Sessions of ${agents.map((x) => ({ claude: "Claude Code", codex: "Codex CLI", gemini: "Gemini CLI" })[x]).join(" and ")} in this repository are recorded on one branch. Read them with \`agent-track sessions\`.`
    ].filter(Boolean).join("\n")
  );
}

// cli/redactions.ts
init_collect();

// src/recovery/redactions.ts
init_redact();
init_snapshot();
function marksIn(text2) {
  const out2 = /* @__PURE__ */ new Map();
  if (!text2.includes("[REDACTED:")) return out2;
  for (const m of text2.matchAll(MARK_RE)) out2.set(m[1], (out2.get(m[1]) ?? 0) + 1);
  return out2;
}
function walk2(value, field, visit) {
  if (typeof value === "string") visit(field, value);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk2(value[i], `${field}[${i}]`, visit);
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) walk2(v, field ? `${field}.${k}` : k, visit);
}
async function listRedactions(branch, sessions) {
  const out2 = [];
  for (const s2 of sessions ?? await branch.sessions()) {
    for (const e of await branch.events(s2)) {
      const { id, type, session: _s, ts: _t, agent: _a, ...fields } = e;
      walk2(fields, "", (field, text2) => {
        for (const [kind, count2] of marksIn(text2))
          out2.push({
            session: s2.session,
            where: "event",
            event: String(id),
            type: String(type),
            field,
            kind,
            count: count2
          });
      });
    }
    for (const snap of await listSnapshots(branch, s2)) {
      for (const f of snap.files) {
        if (!f.redacted || !f.stored) continue;
        const text2 = await branch.readFile(`${s2.dir}/blobs/${f.stored}`) ?? "";
        for (const [kind, count2] of marksIn(text2))
          out2.push({ session: s2.session, where: "file", file: f.path, snapshot: snap.id, kind, count: count2 });
      }
    }
  }
  return out2;
}

// cli/redactions.ts
init_paths();
init_reader();
function registerRedactions(program2) {
  program2.command("redactions").description(
    "list what was redacted where: the kind of secret and the event field or snapshot file it was in (never the value)"
  ).option("--session <id>", "only this session (an id or a prefix)").option("--json", "print the list as JSON").action(async (opts) => {
    const paths = findRepo(process.cwd());
    if (!paths)
      throw new Error(
        "not inside a git repository (run this in the repository whose agent sessions you track)"
      );
    await flushWithTranscripts(paths, { waitMs: 3e4 });
    const branch = await TrackingBranch.open(paths);
    const list = await listRedactions(
      branch,
      opts.session ? [await branch.findSession(opts.session)] : void 0
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(list, null, 2)}
`);
      return;
    }
    if (!list.length) {
      process.stdout.write("nothing was redacted\n");
      return;
    }
    const rows2 = list.map((r2) => [
      r2.session.slice(0, 8),
      r2.where === "event" ? `${r2.type} ${r2.event?.slice(0, 8)}` : `snapshot ${r2.snapshot}`,
      r2.where === "event" ? r2.field ?? "" : r2.file ?? "",
      r2.kind,
      r2.count
    ]);
    process.stdout.write(`${table2(["session", "in", "field or file", "kind", "count"], rows2, [4])}
`);
    const total = list.reduce((n2, r2) => n2 + r2.count, 0);
    process.stdout.write(
      `${total} redaction${total === 1 ? "" : "s"}; a false positive can be let through with a pattern in redaction.allow (.agent-tracking.yml)
`
    );
  });
}

// cli/search.ts
var TYPES = ["prompt", "decision", "error", "tool", "file", "task", "outcome"];
function registerSearch(program2, h) {
  program2.command("search <query...>").description(
    "full-text search over every session on the agent-tracking branch (the team's too, after pull): prompts, decisions, errors, tool calls, file changes, subagent tasks and outcomes; ranked"
  ).option("--session <id>", "only this session (id or a unique prefix)").option("--type <type>", `only records of this type: ${TYPES.join("|")}`).option("--limit <n>", "hits to show (default 10)").option("--json", 'print {"hits": [{"session", "agent", "agentType", "type", "ts", "snippet", "score"}]}').action(
    async (words, opts) => {
      const paths = h.repo();
      if (opts.type !== void 0 && !TYPES.includes(opts.type))
        throw new Error(`--type takes one of ${TYPES.join(", ")}, not '${opts.type}'`);
      const limit = opts.limit === void 0 ? 10 : Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new Error(`--limit takes a whole number of 1 or more, not '${opts.limit}'`);
      const { SearchIndex: SearchIndex2 } = await Promise.resolve().then(() => (init_search(), search_exports));
      const index = await SearchIndex2.open(paths);
      const hits = index.search(words.join(" "), {
        session: opts.session,
        type: opts.type,
        limit
      });
      if (opts.json) return h.print({ hits });
      if (!hits.length)
        return h.print(`no match in ${index.sessionCount} session${index.sessionCount === 1 ? "" : "s"}`);
      h.print(
        hits.map(
          (x) => `${x.session.slice(0, 8)}  ${x.ts.slice(0, 16).replace("T", " ")}  ${x.type.padEnd(8)} ${(x.agent === "main" ? "main" : `${x.agentType}:${x.agent.slice(0, 8)}`).padEnd(24)} ${x.score}
  ${x.snippet}`
        ).join("\n")
      );
    }
  );
  program2.command("mcp").description(
    "serve the MCP server `agent-track` on stdin/stdout (Claude Code starts it from .mcp.json): search_history, similar_errors, why, handoff, session_cost"
  ).action(async () => {
    const paths = h.repo();
    const { serveMcp: serveMcp2 } = await Promise.resolve().then(() => (init_server(), server_exports));
    await serveMcp2(paths, h.version);
  });
}

// cli/index.ts
var UserError = class extends Error {
};
function repo() {
  const paths = findRepo(process.cwd());
  if (!paths)
    throw new UserError(
      "not inside a git repository (run this in the repository whose agent sessions you track)"
    );
  return paths;
}
function runnable(text2) {
  const bin = fileURLToPath(new URL("./bin.cjs", import.meta.url));
  const top = findRepo(process.cwd())?.workTree ?? process.cwd();
  if (installKind(bin, top) !== "local") return text2;
  const cli = cliInvocation(bin, top, path42.resolve(process.cwd()) === top ? "project" : "anywhere");
  return text2.replace(/(`|\(|run |with: |with )agent-track (?=[a-z])/g, `$1${cli} `);
}
var print = (v) => {
  process.stdout.write(typeof v === "string" ? `${runnable(v)}
` : `${JSON.stringify(v, null, 2)}
`);
};
function sessionArg(id) {
  if (id === void 0) return void 0;
  if (!id.trim()) throw new UserError("the session id is empty: give one (see `sessions`) or leave it out");
  return id.trim();
}
var program = new Command("agent-track").description(
  "Git for AI agents: records every Claude Code session of this repository onto its agent-tracking branch"
).version(JSON.parse(fs43.readFileSync(new URL("../package.json", import.meta.url), "utf8")).version).showHelpAfterError().exitOverride();
async function ask(question, fallback) {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return fallback;
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
var BIN = () => fileURLToPath(new URL("./bin.cjs", import.meta.url));
var invocation = (paths, where = "project") => cliInvocation(BIN(), paths.workTree, where);
async function initTrailers(paths, cli, configWritten) {
  const { installTrailerHook: installTrailerHook2 } = await Promise.resolve().then(() => (init_trailers(), trailers_exports));
  const hook = installTrailerHook2(paths, cli);
  const configFile = path42.join(paths.workTree, ".agent-tracking.yml");
  let enabled = false;
  if (hook.installed && configWritten) {
    fs43.writeFileSync(
      configFile,
      fs43.readFileSync(configFile, "utf8").replace(/^ {2}trailers: false$/m, "  trailers: true")
    );
    enabled = true;
  }
  const message = !hook.installed ? hook.reason ?? "commit trailers hook not installed" : enabled ? `commit trailers on: ${hook.file} (attribution.trailers: true)` : `commit trailers hook in ${hook.file}; set attribution.trailers: true in .agent-tracking.yml to add them`;
  return { ...hook, enabled, message };
}
program.command("init").description(
  "start tracking this repository: the agent-tracking branch, Claude Code hooks and /agent-track:* commands (or the plugin), the workflow, .agent-tracking.yml"
).option(
  "-y, --yes",
  "do not ask for confirmation (with --uninstall: also remove the workflow and config if unchanged)"
).option(
  "--plugin",
  "the agent-track Claude Code plugin records: write no hooks or commands into settings files"
).option(
  "--uninstall",
  "remove exactly what init added (hooks, commands, the .mcp.json entry; asks about the workflow and config); the branch stays"
).option(
  "--agent <clis>",
  "the agent CLIs to record, comma-separated: claude, codex, gemini (default: claude)"
).option("--json", "print the result as JSON").option(
  "--commit-trailers",
  "also install a prepare-commit-msg hook adding Agent-Session and Agent-Lines trailers (attribution.trailers)"
).action(
  async (opts) => {
    const paths = repo();
    const bin = BIN();
    let agents;
    try {
      agents = parseAgents(opts.agent);
    } catch (e) {
      throw new UserError(e.message);
    }
    if (opts.agent !== void 0) return initWithAgents(paths, bin, agents, opts);
    if (opts.uninstall) {
      const { uninstallTrailerHook: uninstallTrailerHook2 } = await Promise.resolve().then(() => (init_trailers(), trailers_exports));
      uninstallTrailerHook2(paths);
      const removeShared = opts.yes || await ask(
        `Also remove ${WORKFLOW_FILE} and .agent-tracking.yml (only if unchanged since init)?`,
        false
      );
      const r3 = {
        ...uninstallHooks(paths, bin, { removeShared }),
        mcpRemoved: unregisterMcpServer(paths.workTree).removed
      };
      if (opts.json) return print(r3);
      const said = (f, s2) => s2 === "removed" ? `removed ${f}` : s2 === "edited" ? `kept ${f} (edited since init)` : s2 === "kept" ? `kept ${f} (remove it with --uninstall --yes)` : null;
      return print(
        [
          `removed ${r3.removed} hook entr${r3.removed === 1 ? "y" : "ies"} and ${r3.commandsRemoved} slash command${r3.commandsRemoved === 1 ? "" : "s"}`,
          r3.mcpRemoved ? "removed the agent-track MCP server from .mcp.json" : null,
          ...r3.restored.map((f) => `${f}: back exactly as it was before init`),
          said(WORKFLOW_FILE, r3.workflow),
          said(".agent-tracking.yml", r3.config),
          "the agent-tracking branch stays (it is the history); delete it with: git branch -D agent-tracking"
        ].filter(Boolean).join("\n")
      );
    }
    const plan = planInit(paths, bin, { plugin: opts.plugin });
    if (!opts.plugin)
      plan.push({
        file: ".mcp.json",
        what: "MCP server agent-track (search_history, similar_errors, why, handoff, session_cost); your servers kept as written",
        action: fs43.existsSync(path42.join(paths.workTree, ".mcp.json")) ? "update" : "create"
      });
    const hasBranch = !!readRef(paths.commonDir, "refs/heads/agent-tracking");
    const verbs = {
      will: { create: "create", update: "update", unchanged: "unchanged", kept: "keep as it is" },
      did: { create: "created", update: "updated", unchanged: "unchanged", kept: "kept as it is" }
    };
    const planText = (tense) => [
      tense === "will" ? `init will write in ${paths.workTree}:` : `init wrote in ${paths.workTree}:`,
      `  branch agent-tracking: ${hasBranch ? "exists" : `${verbs[tense].create} (an orphan branch; your HEAD, index and work tree are not touched)`}`,
      ...plan.map((f) => `  ${f.file}: ${verbs[tense][f.action]} \u2014 ${f.what}`)
    ].join("\n");
    const tty = process.stdin.isTTY && process.stdout.isTTY;
    if (!opts.yes && tty) {
      process.stdout.write(`${planText("will")}
`);
      if (!await ask("Write these?", false)) return print("nothing changed");
    }
    const init = await initRepository(paths, bin, { plugin: opts.plugin });
    const r2 = {
      ...init,
      mcp: opts.plugin ? null : registerMcpServer(paths.workTree, mcpServerEntry(bin, paths.workTree)).outcome
    };
    const cli = invocation(paths);
    const trailers = opts.commitTrailers ? await initTrailers(paths, cli, r2.configWritten) : null;
    if (opts.json) return print(trailers ? { ...r2, trailers } : r2);
    print(
      [
        // without a terminal nobody saw the plan: say what was written
        !tty ? planText("did") : null,
        r2.branchCreated ? `created branch agent-tracking (${r2.tip.slice(0, 7)})` : `branch agent-tracking exists (${r2.tip.slice(0, 7)})`,
        r2.plugin ? null : r2.settingsChanged ? `hooks written to ${path42.relative(paths.workTree, r2.settingsFile)}` : `hooks already in ${path42.relative(paths.workTree, r2.settingsFile)}`,
        r2.adoptedFrom ? `joined the agent-tracking branch of ${r2.adoptedFrom}` : null,
        r2.remoteWarning ? `could not ask the remote for its branch (${r2.remoteWarning}); run ${cli} pull later` : null,
        r2.configWritten ? "wrote .agent-tracking.yml" : ".agent-tracking.yml kept as it is",
        r2.workflowWritten ? `wrote ${WORKFLOW_FILE} (phase reviews daily, a comment on each PR)` : null,
        r2.commandsWritten.length ? `slash commands: ${r2.commandsWritten.map((f) => `/agent-track:${f.slice(0, -3)}`).join(", ")}` : null,
        ...r2.commandsMigrated.map(
          (f) => `removed the earlier release's .claude/commands/${f} (it shadowed Claude Code's /${f.slice(0, -3)})`
        ),
        ...r2.commandsKept.map(
          (f) => `kept your own .claude/commands/agent-track/${f} (ours is not installed)`
        ),
        r2.plugin ? "The agent-track plugin records every Claude Code session here: claude --plugin-dir <path to the plugin>, or /plugin install agent-track@subagent-tracking." : `Every Claude Code session in this repository is now recorded. Read them with \`${cli} sessions\`.`,
        r2.mcp === "kept" ? "kept your own MCP server agent-track in .mcp.json (ours is not registered)" : r2.mcp === "written" ? "MCP server agent-track registered in .mcp.json (search_history, similar_errors, why, handoff, session_cost)" : null,
        trailers?.message ?? null,
        "",
        "To have agents record their decisions and ask their history, add this to CLAUDE.md:",
        "",
        claudeMdSnippet(installKind(bin, paths.workTree) === "local" ? cli : "agent-track"),
        "",
        MCP_CLAUDE_MD_SNIPPET
      ].filter((l) => l !== null).join("\n")
    );
  }
);
program.command("hook").description(
  "record one Claude Code hook payload from stdin (run by Claude Code; always exits 0, prints nothing)"
).option(
  "--agent <cli>",
  "the payload is this agent CLI's: codex (Codex CLI's hooks.json) or gemini (Gemini CLI's settings)"
).action(() => {
});
program.command("statusline").description(
  "one line for Claude Code's statusLine setting, from the session JSON on stdin: this session's cost, tokens, subagents, failed calls, time since the last snapshot, a warning past budget.session or budget.phase"
).action(() => {
});
var warn = (m) => process.stderr.write(`agent-track: warning: ${m}
`);
async function flushAndSnapshot(paths, waitMs, warnings) {
  const r2 = await flushWithTranscripts(paths, { waitMs }, warnings ? warn : void 0);
  if (warnings) for (const n2 of r2.notices) warn(n2);
  const index = readState(paths)?.index ?? {};
  const config = await loadConfig(paths);
  const due = r2.sessions.flatMap((session) => {
    const trigger = index[session] ? dueTrigger(index[session], config) : null;
    return trigger ? [{ session, trigger }] : [];
  });
  if (due.length)
    try {
      await takeSnapshots(paths, due);
    } catch (e) {
      if (warnings) warn(`no snapshot taken: ${e.message}`);
    }
  if (r2.commits) await (await Promise.resolve().then(() => (init_search(), search_exports))).refreshSearchIndex(paths);
  refreshBrowse(paths);
  return r2;
}
program.command("push").description(
  "share this clone's sessions: flush, then push the agent-tracking branch (merging the remote's new sessions first)"
).option(
  "--remote <remote>",
  "a remote name or git URL (default: tracking.remote in .agent-tracking.yml, else origin)"
).option("--background", "run quietly and log failures to the errors folder (used by the SessionEnd hook)").option(
  "--skip-previous",
  "after tracking.remote changed: do not carry over the previous remote\u2019s sessions"
).option(
  "--force-first",
  "push even when the remote has no branch yet (agent-tracking would become its default branch: only for a repository that holds only the agent history)"
).option(
  "--no-dispatch",
  "do not tell GitHub the branch moved (a repository_dispatch: the workflow reviews ended phases and refreshes comments)"
).option("--json", "print the result as JSON").action(async (opts) => {
  const paths = repo();
  const { pushBranch: pushBranch2 } = await Promise.resolve().then(() => (init_sync(), sync_exports));
  const { dispatchBranchMoved: dispatchBranchMoved2 } = await Promise.resolve().then(() => (init_github(), github_exports));
  const remote = opts.remote ?? (await loadConfig(paths)).tracking.remote;
  try {
    await flushAndSnapshot(paths, 3e4, !opts.background);
    const r2 = await pushBranch2(paths, remote, {
      prompt: !opts.background,
      skipPrevious: opts.skipPrevious,
      forceFirst: opts.forceFirst
    });
    const dispatch = r2.outcome === "pushed" && opts.dispatch && process.env.AGENT_TRACK_DISPATCH !== "0" ? await dispatchBranchMoved2(paths, remote, r2.tip) : null;
    if (opts.background) return;
    if (opts.json) return print({ ...r2, dispatch });
    print(
      [
        r2.migratedFrom ? `carried the branch over from ${r2.migratedFrom}` : null,
        r2.merges ? `merged ${r2.sessionsFromRemote} session${r2.sessionsFromRemote === 1 ? "" : "s"} from ${remote}` : null,
        r2.conflicts.length ? `both sides changed ${r2.conflicts.join(", ")}: both versions kept (the local one as *.conflict-*)` : null,
        r2.outcome === "pushed" ? `pushed agent-tracking to ${remote} (${r2.tip.slice(0, 7)})${r2.attempts > 1 ? ` after ${r2.attempts} attempts` : ""}` : `${remote} is up to date (${r2.tip.slice(0, 7)})`,
        dispatch?.sent ? `told ${dispatch.repo}'s agent-tracking workflow (repository_dispatch)` : null,
        dispatch && !dispatch.sent && dispatch.repo ? `workflow not told: ${dispatch.reason}` : null
      ].filter((l) => l !== null).join("\n")
    );
  } catch (e) {
    if (!opts.background) throw e;
    mkdirOwned(paths.errorsDir);
    fs43.appendFileSync(
      path42.join(paths.errorsDir, "push.log"),
      `${(/* @__PURE__ */ new Date()).toISOString()} ${e.message}
`
    );
    own(path42.join(paths.errorsDir, "push.log"));
    process.exitCode = 1;
  }
});
program.command("pull").description(
  "bring the team's sessions in: fetch the remote's agent-tracking branch and merge it (no init needed to read them)"
).option(
  "--remote <remote>",
  "a remote name or git URL (default: tracking.remote in .agent-tracking.yml, else origin)"
).option("--json", "print the result as JSON").action(async (opts) => {
  const paths = repo();
  const { pullBranch: pullBranch2 } = await Promise.resolve().then(() => (init_sync(), sync_exports));
  const remote = opts.remote ?? (await loadConfig(paths)).tracking.remote;
  const r2 = await pullBranch2(paths, remote);
  if (r2.outcome === "adopted" || r2.outcome === "fast-forward" || r2.outcome === "merged" || r2.outcome === "replayed")
    await (await Promise.resolve().then(() => (init_search(), search_exports))).refreshSearchIndex(paths);
  refreshBrowse(paths);
  if (opts.json) return print(r2);
  const n2 = `${r2.sessionsFromRemote} new session${r2.sessionsFromRemote === 1 ? "" : "s"}`;
  const said = {
    adopted: `fetched agent-tracking from ${remote}: ${n2}`,
    "fast-forward": `updated agent-tracking from ${remote}: ${n2}`,
    merged: `merged agent-tracking from ${remote}: ${n2}${r2.conflicts.length ? `; both versions kept of ${r2.conflicts.join(", ")}` : ""}`,
    "up-to-date": "already up to date",
    ahead: `nothing new on ${remote}; this clone has sessions to push (agent-track push)`,
    "no-remote-branch": `${remote} has no agent-tracking branch yet (agent-track push creates it)`,
    replayed: `${remote}'s agent-tracking was compacted (archived phases left its history): this clone's sessions were put on top of its new root: ${n2}; the old local history is kept under ${r2.kept ?? "a pre-compact ref"} (agent-track compact --drop-old removes it)${r2.dropped?.length ? `; ${r2.dropped.length} session folder${r2.dropped.length === 1 ? "" : "s"} of archived phases left out (in S3: ${r2.dropped.join(", ")})` : ""}`
  };
  print(said[r2.outcome]);
});
program.command("flush").description("commit the spooled events to the agent-tracking branch now").option("--background", "give up at once if another flush is running (used by the hook)").option("--json", "print the result as JSON").action(async (opts) => {
  const paths = repo();
  const r2 = await flushAndSnapshot(paths, opts.background ? 0 : 3e4, !opts.background);
  if (opts.background) return;
  print(
    opts.json ? r2 : `flushed ${r2.events} event${r2.events === 1 ? "" : "s"} in ${r2.commits} commit${r2.commits === 1 ? "" : "s"}${r2.skippedLines ? ` (${r2.skippedLines} unreadable spool lines kept in the errors folder)` : ""}`
  );
});
program.command("decide <what>").description("record a decision (what, why, the alternatives) in the current session").option("--why <why>", "the rationale").option("--alternatives <list>", 'the options not taken, separated by ";"').option(
  "--session <id>",
  "the session (default: the Claude Code session running this, else the one recorded last in this clone)"
).option("--agent <id>", "the agent that decided (default: main)").option("--json", "print the recorded event as JSON").action(
  async (what2, opts) => {
    if (!what2.trim())
      throw new UserError('say what was decided: agent-track decide "<what>" --why "<why>"');
    const e = await recordDecision(repo(), { what: what2, ...opts });
    print(opts.json ? e : `recorded in session ${e.session.slice(0, 8)}: ${String(e.what)}`);
  }
);
program.command("import [paths...]").description(
  "import past sessions from Claude Code's transcripts, Codex CLI's rollouts and Gemini CLI's saved chats, the format of each file told by its content (default: this repository's folder under ~/.claude/projects its threads under $CODEX_HOME/sessions and its chats under ~/.gemini/tmp)"
).option("--since <date>", "only sessions written to on or after this date (YYYY-MM-DD)").option("--agent <cli>", "without paths: only this agent CLI\u2019s sessions (claude, codex, gemini)").option("--json", "print the summary as JSON").action(async (inputs, opts) => {
  const paths = repo();
  let since;
  if (opts.since) {
    since = new Date(opts.since);
    if (Number.isNaN(since.getTime()))
      throw new UserError(`--since takes a date such as 2026-01-31, not '${opts.since}'`);
  }
  let sources = inputs;
  if (!inputs.length)
    try {
      sources = defaultImportSources(paths.workTree, opts.agent);
    } catch (e) {
      throw new UserError(e.message);
    }
  const tty = process.stderr.isTTY;
  const r2 = await importTranscripts(paths, sources, {
    since,
    workerScript: fileURLToPath(new URL("./import-worker.js", import.meta.url)),
    onProgress: (done2, total, bytes) => {
      const mb3 = (bytes / 2 ** 20).toFixed(1);
      if (tty) {
        const width = 30;
        const fill = Math.round(done2 / Math.max(total, 1) * width);
        process.stderr.write(
          `\rimporting [${"#".repeat(fill)}${" ".repeat(width - fill)}] ${done2}/${total} sessions, ${mb3} MB${done2 === total ? "\n" : ""}`
        );
      } else if (!opts.json) process.stderr.write(`imported ${done2}/${total} sessions, ${mb3} MB
`);
    }
  });
  if (r2.events) await (await Promise.resolve().then(() => (init_search(), search_exports))).refreshSearchIndex(paths);
  refreshBrowse(paths);
  if (opts.json) return print(r2);
  print(
    [
      `${r2.sessions} session${r2.sessions === 1 ? "" : "s"} read (${r2.newSessions} new), ${(r2.bytes / 2 ** 20).toFixed(1)} MB of transcripts`,
      `${r2.events} event${r2.events === 1 ? "" : "s"} added, ${r2.duplicates} already on the branch`,
      r2.badLines ? `${r2.badLines} corrupt or truncated line${r2.badLines === 1 ? "" : "s"} skipped` : "",
      r2.skippedOlder ? `${r2.skippedOlder} session${r2.skippedOlder === 1 ? "" : "s"} older than --since left out` : "",
      r2.withoutUsage ? `${r2.withoutUsage} file${r2.withoutUsage === 1 ? "" : "s"} without any API usage (empty, or summaries only) left out` : "",
      r2.unknownModels.length ? `no price for ${r2.unknownModels.join(", ")}: their cost is recorded as null` : ""
    ].filter(Boolean).join("\n")
  );
});
function dayRange(opts) {
  const day = (v, flag) => {
    if (v === void 0) return void 0;
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v.trim());
    const d = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
    if (!m || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      throw new UserError(`${flag} takes a day such as 2026-01-31 or 20260131, not '${v}'`);
    return d;
  };
  const r2 = { since: day(opts.since, "--since"), until: day(opts.until, "--until") };
  if (r2.since && r2.until && r2.since > r2.until) throw new UserError("--since is after --until");
  return r2;
}
var COST_LINE = `${COST_NOTE} Prices: ${PRICE_SOURCE}, with .agent-tracking.yml's pricing: overrides.`;
var withRange = (c) => c.option("--since <day>", "only activity on or after this day (YYYY-MM-DD or YYYYMMDD, UTC)").option("--until <day>", "only activity on or before this day (YYYY-MM-DD or YYYYMMDD, UTC)");
withRange(
  program.command("sessions").description("list the recorded sessions: status (running, ended, crashed), subagents, tool calls, cost").option("--json", "print the sessions as JSON")
).action(async (opts) => {
  const paths = repo();
  const config = await loadConfig(paths);
  const range = dayRange(opts);
  const branch = await TrackingBranch.open(paths);
  const rows2 = new Map(
    breakdown(await branch.sessions(), "session", branch.prices, range).map((r2) => [r2.key, r2])
  );
  const list = (await branch.sessions()).filter((s2) => rows2.has(s2.session)).map((s2) => {
    const { usage: _usage, errorToolUseIds: _e, failedToolUseIds: _f, ...rest } = s2;
    const r2 = rows2.get(s2.session);
    return {
      ...rest,
      agentTool: agentToolOf(s2),
      tokens: r2.tokens,
      costUsd: r2.costUsd,
      unpricedTokens: r2.unpricedTokens,
      unpricedModels: r2.unpricedModels,
      status: statusOf(s2, config.recovery.crashedAfterMinutes)
    };
  });
  if (opts.json) return print(list);
  if (!list.length) return print("no session recorded yet");
  print(
    table2(
      [
        "session",
        "started",
        "tool",
        "branch",
        "author",
        "phase",
        "subagents",
        "tools",
        "failed",
        "errors",
        "cost",
        "status",
        "first prompt"
      ],
      list.map((s2) => [
        s2.session.slice(0, 8),
        (s2.started ?? "").replace("T", " ").slice(0, 19),
        s2.agentTool,
        s2.branch ?? "",
        s2.author?.name ?? "",
        s2.phase,
        s2.agents,
        s2.toolCalls,
        s2.toolFailures,
        s2.errors,
        fmtUsd(s2.costUsd, s2.unpricedTokens),
        s2.status,
        (s2.firstPrompt ?? "").replace(/\s+/g, " ").slice(0, 40)
      ]),
      [5, 6, 7, 8, 9]
    )
  );
});
program.command("show <session>").description(
  "show a session: the agent tree with each agent\u2019s tool calls, file changes and errors in time order"
).option("--json", "print the session and its agent tree as JSON").action(async (id, opts) => {
  const paths = repo();
  const config = await loadConfig(paths);
  const branch = await TrackingBranch.open(paths);
  const summary = await branch.findSession(sessionArg(id));
  const tree = buildAgentTree(await branch.events(summary), branch.prices);
  const status = statusOf(summary, config.recovery.crashedAfterMinutes);
  const figures = totals([summary], branch.prices);
  if (opts.json) return print({ session: { ...summary, status }, figures, tree });
  const t = figures.tokens;
  print(
    [
      `session ${summary.session}  (${summary.phase}, ${status}${summary.ended ? `: ${summary.endReason ?? ""}` : ""})`,
      `started ${summary.started ?? "?"} with ${agentToolOf(summary)} on ${summary.branch ?? "detached HEAD"} at ${summary.head?.slice(0, 7) ?? "no commit"}`,
      summary.firstPrompt ? `prompt: ${summary.firstPrompt}` : "",
      `${many(figures.toolCalls, "tool call")} (${figures.toolFailures} failed${figures.toolRejected ? `, ${figures.toolRejected} declined` : ""}${figures.toolDenied ? `, ${figures.toolDenied} denied` : ""}${figures.toolInterrupted ? `, ${figures.toolInterrupted} interrupted` : ""}${figures.toolCascaded ? `, ${figures.toolCascaded} cancelled after a sibling call failed` : ""}), ${many(figures.errors, "error")}, ${many(summary.agents, "subagent")}; tokens ${fmtInt(t.input)} in, ${fmtInt(t.output)} out, ${fmtInt(t.cacheRead)} cache read, ${fmtInt(t.cacheWrite)} cache write; cost ${fmtUsd(figures.costUsd, figures.unpricedTokens)}${figures.unpricedModels.length ? ` (no price for ${figures.unpricedModels.join(", ")})` : ""}`,
      "",
      ...renderTree(tree)
    ].filter((l, i) => l !== "" || i === 4).join("\n")
  );
});
withRange(
  program.command("stats").description("totals: sessions, subagents, tool calls, errors, tokens and cost, or a table of them").option("--session <id>", "only this session").option(
    "--by <what>",
    "a table by day, week, month, session, agent (type), model, author (developer) or tool (the agent CLI: claude-code, codex, gemini), like ccusage"
  ).option("--json", `print as JSON (with --by: {"by", "rows", "totals"}; rows carry ccusage's keys too)`)
).action(async (opts) => {
  if (opts.by && !BREAKDOWNS.includes(opts.by)) {
    throw new UserError(`--by takes ${BREAKDOWNS.join(", ")}, not '${opts.by}'`);
  }
  const range = dayRange(opts);
  const branch = await TrackingBranch.open(repo());
  const list = opts.session ? [await branch.findSession(opts.session)] : await branch.sessions();
  const stats = totals(list, branch.prices, range);
  const unpricedNote = stats.unpricedModels.length ? `no price for ${stats.unpricedModels.join(", ")}: ${fmtInt(stats.unpricedTokens)} tokens are not in the cost (add them under pricing: in .agent-tracking.yml)` : "";
  const spend = (r2) => [
    fmtInt(r2.tokens.input),
    fmtInt(r2.tokens.output),
    fmtInt(r2.tokens.cacheRead),
    fmtInt(r2.tokens.cacheWrite),
    fmtUsd(r2.costUsd, r2.unpricedTokens)
  ];
  if (opts.by) {
    const rows2 = breakdown(list, opts.by, branch.prices, range);
    if (opts.json) return print({ by: opts.by, rows: rows2, totals: stats });
    const extra = opts.by === "session" ? ["started"] : [];
    return print(
      [
        table2(
          [opts.by, ...extra, "input", "output", "cache read", "cache write", "cost"],
          [
            ...rows2.map((r2) => [
              opts.by === "session" ? r2.key.slice(0, 8) : r2.key,
              ...opts.by === "session" ? [(r2.started ?? "").slice(0, 19).replace("T", " ")] : [],
              ...spend(r2)
            ]),
            ["total", ...extra.map(() => ""), ...spend(stats)]
          ],
          [1, 2, 3, 4, 5].map((n2) => n2 + extra.length)
        ),
        COST_LINE,
        unpricedNote
      ].filter(Boolean).join("\n")
    );
  }
  if (opts.json) return print(stats);
  print(
    [
      table2(
        [
          "sessions",
          "subagents",
          "tool calls",
          "failed",
          "errors",
          "input",
          "output",
          "cache read",
          "cache write",
          "cost"
        ],
        [[stats.sessions, stats.agents, stats.toolCalls, stats.toolFailures, stats.errors, ...spend(stats)]],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
      ),
      COST_LINE,
      unpricedNote
    ].filter(Boolean).join("\n")
  );
});
program.command("checkpoint").description("take a snapshot of the current session now: git state, changed files, todos, agents, errors").option("--note <text>", "a note stored with the snapshot").option(
  "--session <id>",
  "the session (default: the Claude Code session running this, else my latest: this clone, this git identity)"
).option("--json", 'print {"id", ...} as JSON').action(async (opts) => {
  const r2 = await takeSnapshot(repo(), {
    session: sessionArg(opts.session),
    trigger: "manual",
    // a slash command with no argument passes --note ""
    note: opts.note?.trim() ? opts.note.trim() : null,
    flushFirst: true
  });
  if (opts.json)
    return print({
      id: r2.id,
      session: r2.session,
      ts: r2.ts,
      head: r2.git.head,
      files: r2.files.length,
      note: r2.note
    });
  print(
    `snapshot ${r2.id}: ${r2.files.length} changed file${r2.files.length === 1 ? "" : "s"} at ${r2.git.head?.slice(0, 7) ?? "no commit"}, ${r2.todos.filter((t) => t.status !== "completed").length} open todos
restore it elsewhere with: ${invocation(repo())} restore ${r2.id} --worktree ../${path42.basename(repo().workTree)}-${r2.id.replace("@", "-")}`
  );
});
program.command("snapshots").description("list snapshots (of one session, or of every session)").option("--session <id>", "only this session").option("--json", "print the snapshots as JSON").action(async (opts) => {
  const branch = await TrackingBranch.open(repo());
  const sessions = opts.session ? [await branch.findSession(opts.session)] : (await branch.sessions()).filter((s2) => (s2.snapshots ?? 0) > 0);
  const list = [];
  for (const s2 of sessions) {
    const continuable = Object.keys(s2.transcripts ?? {}).length > 0;
    list.push(...(await listSnapshots(branch, s2)).map((r2) => ({ ...r2, continuable })));
  }
  list.sort((a, b) => a.ts.localeCompare(b.ts));
  if (opts.json) return print(list);
  if (!list.length)
    return print("no snapshot yet (they are taken automatically, or with `agent-track checkpoint`)");
  print(
    table2(
      ["snapshot", "taken", "trigger", "HEAD", "files", "open todos", "continue --at", "note"],
      list.map((r2) => [
        r2.id,
        r2.ts.replace("T", " ").slice(0, 19),
        r2.trigger,
        r2.git.head?.slice(0, 7) ?? "",
        r2.files.length,
        r2.todos.filter((t) => t.status !== "completed").length,
        r2.continuable ? "yes" : "no",
        (r2.note ?? "").slice(0, 40)
      ]),
      [4, 5]
    )
  );
});
program.command("resume [session]").alias("handoff").description(
  "print the handoff (Markdown) that lets a new session carry on from a session's last state (default: my latest session: this clone, this git identity, this branch first)"
).option("--session <id>", "the session (the same as giving it as the argument)").option("--max-tokens <n>", "the budget in Claude tokens (default 2000, or recovery.handoffBudget)").option("--json", 'print {"session", "snapshot", "tokens", "budget", "dropped", "crashed", "markdown"}').option("--hook-output", "print SessionStart's hookSpecificOutput JSON (used by the hook)").action(
  async (positional, opts) => {
    if (positional !== void 0 && opts.session !== void 0 && positional !== opts.session)
      throw new UserError(`give the session once: '${positional}' or --session ${opts.session}`);
    opts.session = sessionArg(positional ?? opts.session);
    let maxTokens;
    if (opts.maxTokens !== void 0) {
      maxTokens = Number(opts.maxTokens);
      if (!Number.isInteger(maxTokens) || maxTokens < 200)
        throw new UserError(`--max-tokens takes a whole number of at least 200, not '${opts.maxTokens}'`);
    }
    const h = await resumeHandoff(repo(), {
      session: opts.session,
      maxTokens,
      fallbackToLatest: opts.hookOutput
    });
    if (opts.hookOutput) {
      process.stdout.write(
        `${JSON.stringify({ hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: h.markdown } })}
`
      );
      return;
    }
    if (opts.json) return print(h);
    process.stdout.write(h.markdown);
  }
);
program.command("restore <snapshot>").description(
  "create a git worktree at a snapshot's HEAD with its files laid back (your work tree is not touched)"
).requiredOption("--worktree <path>", "where to create the worktree (a new or empty folder)").option("--branch <name>", "create this branch there (default: a detached HEAD)").option("--json", "print the result as JSON").action(async (id, opts) => {
  const paths = repo();
  const branch = await TrackingBranch.open(paths);
  const r2 = await restoreSnapshot(paths, branch, id, opts);
  const start = `cd ${JSON.stringify(r2.worktree)} && claude "$(${invocation(paths, "anywhere")} resume ${r2.session.slice(0, 8)})"`;
  if (opts.json) return print({ ...r2, start });
  print(
    [
      `worktree ${r2.worktree} at ${r2.head.slice(0, 7)}${r2.branch ? ` on new branch ${r2.branch}` : " (detached HEAD)"}`,
      `laid back ${r2.written.length} file${r2.written.length === 1 ? "" : "s"}${r2.deleted.length ? `, removed ${r2.deleted.length}` : ""}${r2.redacted.length ? `; redacted (secrets were not stored): ${r2.redacted.join(", ")}` : ""}`,
      ...r2.notStored.map((f) => `not stored, so not laid back: ${f.path} (${f.reason})`),
      "",
      "start Claude Code there with the handoff:",
      `  ${start}`
    ].join("\n")
  );
});
program.command("continue [session]").description(
  "bring a session's conversation back from the branch and resume it with `claude --resume` (any clone, any machine)"
).option("--at <snapshot>", "continue from a snapshot's moment: a new session (a fork) in a new worktree").option("--worktree <path>", "with --at: where to create the worktree (default: next to this clone)").option("--no-launch", "lay the conversation out and print the command instead of starting Claude Code").option(
  "--json",
  'print {"session","continues","fork","snapshot","cwd","projectDir","files","worktree","command"}'
).action(
  async (session, opts) => {
    if (session !== void 0 && !session.trim())
      throw new UserError("give a session id (see `agent-track sessions`)");
    if (opts.worktree && !opts.at)
      throw new UserError("--worktree goes with --at <snapshot> (a fork from that moment)");
    const paths = repo();
    const branch = await TrackingBranch.open(paths);
    const { prepareContinue: prepareContinue2, commandLine: commandLine2 } = await Promise.resolve().then(() => (init_continue(), continue_exports));
    const r2 = await prepareContinue2(paths, branch, { session, at: opts.at, worktree: opts.worktree });
    const command = commandLine2(r2);
    if (opts.json) return print({ ...r2, launched: false, commandLine: command });
    const written = r2.files.filter((f) => f.action === "written");
    const kept = r2.files.filter((f) => f.action === "kept newer");
    const lines = [
      r2.fork ? `session ${r2.session} forks ${r2.continues.slice(0, 8)} at snapshot ${r2.snapshot} (worktree ${r2.worktree})` : `session ${r2.session}`,
      `conversation laid out in ${r2.projectDir}: ${written.length} file${written.length === 1 ? "" : "s"} written${kept.length ? `, ${kept.length} kept (Claude Code's own copy is as new or newer)` : ""}`
    ];
    if (!opts.launch) return print([...lines, "", "continue it with:", `  ${command}`].join("\n"));
    process.stderr.write(`${lines.join("\n")}
$ ${command}
`);
    const { spawnSync: spawnSync9 } = await import("node:child_process");
    const run = spawnSync9(r2.command[0], r2.command.slice(1), { cwd: r2.cwd, stdio: "inherit" });
    if (run.error)
      throw new UserError(
        `could not start Claude Code (${run.error.code ?? run.error.message}); run it yourself: ${command}`
      );
    process.exitCode = run.status ?? 1;
  }
);
program.command("query <sql>").description(
  "run SQL (DuckDB) over the store: views events, sessions, agents, tool_calls, usage, errors, file_changes, decisions"
).option("--json", "print an array of row objects").option("--csv", "print CSV with a header line").option(
  "--archive <s3-url>",
  "query the archived and lake Parquet under s3://bucket/prefix instead of the branch: every repository there, with a repo column"
).action(async (sql, opts) => {
  if (opts.json && opts.csv) throw new UserError("give --json or --csv, not both");
  const paths = repo();
  let db;
  if (opts.archive) {
    const { openArchive: openArchive2 } = await Promise.resolve().then(() => (init_archive_query(), archive_query_exports));
    db = await openArchive2(paths, opts.archive);
  } else {
    await TrackingBranch.open(paths);
    const { openAnalytics: openAnalytics2 } = await Promise.resolve().then(() => (init_duckdb(), duckdb_exports));
    db = await openAnalytics2(paths);
  }
  let result;
  try {
    result = await db.query(sql);
  } catch (e) {
    throw new UserError(`query failed: ${String(e.message).split("\n")[0]}`);
  } finally {
    db.close();
  }
  const cell = (v) => v === null || v === void 0 ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  if (opts.json) return print(result.rows);
  if (opts.csv) {
    const quote = (v) => /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    const lines = [
      result.columns.map(quote).join(","),
      ...result.rows.map((r2) => result.columns.map((c) => quote(cell(r2[c]))).join(","))
    ];
    process.stdout.write(`${lines.join("\n")}
`);
    return;
  }
  if (!result.rows.length) return print(`(no rows; columns: ${result.columns.join(", ")})`);
  print(
    table2(
      result.columns,
      result.rows.map((r2) => result.columns.map((c) => cell(r2[c]).replace(/\s+/g, " ").slice(0, 80)))
    )
  );
});
var phase = program.command("phase").description("phases (a milestone, a sprint): start, end with a review, list");
phase.command("start <name>").description("start a phase: sessions that start from now on belong to it").option("--json", "print the phase as JSON").action(async (name, opts) => {
  const { startPhase: startPhase2 } = await Promise.resolve().then(() => (init_phases(), phases_exports));
  const p = await startPhase2(repo(), name);
  const configured2 = setConfigPhase(repo(), p.name);
  print(opts.json ? p : `phase ${p.name} started${configured2 ? " (.agent-tracking.yml says so)" : ""}`);
});
phase.command("end [next]").description("end the current phase: write its review (review.md, review.json) and start the next").option("--next <name>", "the next phase (default: the name with its number plus one, phase-1 -> phase-2)").option("--no-review", "leave the review to the GitHub Action (its next run writes it)").option("--json", 'print {"ended", "next", "review"} as JSON').action(
  async (positional, opts) => {
    if (positional !== void 0 && opts.next !== void 0 && positional !== opts.next)
      throw new UserError(`give the next phase once: '${positional}' or --next ${opts.next}`);
    if (positional !== void 0) opts.next = positional;
    const { endPhase: endPhase2 } = await Promise.resolve().then(() => (init_phases(), phases_exports));
    const r2 = await endPhase2(repo(), opts);
    setConfigPhase(repo(), r2.next);
    if (opts.json) return print(r2);
    print(
      `${r2.review ? `phase ${r2.ended} ended: ${r2.review.sessions} sessions, ${fmtUsd(r2.review.costUsd, r2.review.unpricedTokens)}; review in phases/${r2.ended}/review.md on the agent-tracking branch` : `phase ${r2.ended} ended; \`agent-track push\` shares it and the Action reviews it (at once with a GitHub token, else on its daily run)`}
phase ${r2.next} started`
    );
  }
);
phase.command("list").description("the phases, their dates, sessions and cost").option("--json", "print the phases as JSON").action(async (opts) => {
  const { listPhases: listPhases2 } = await Promise.resolve().then(() => (init_phases(), phases_exports));
  const list = await listPhases2(repo());
  if (opts.json) return print(list);
  print(
    table2(
      ["phase", "started", "ended", "sessions", "cost", "reviewed"],
      list.map((p) => [
        `${p.name}${p.current ? " (current)" : ""}`,
        (p.started ?? "").slice(0, 10),
        (p.ended ?? "").slice(0, 10),
        p.sessions,
        fmtUsd(p.costUsd, p.unpricedTokens),
        p.reviewed ? "yes" : ""
      ]),
      [3, 4]
    )
  );
});
program.command("review").description("the review of a phase (default: the current one) without ending it").option("--phase <name>", "the phase").option("--json", "print the review as JSON").action(async (opts) => {
  const paths = repo();
  const { reviewPhase: reviewPhase2, sessionCosts: sessionCosts2 } = await Promise.resolve().then(() => (init_phases(), phases_exports));
  const { renderReview: renderReview2 } = await Promise.resolve().then(() => (init_render(), render_exports));
  const r2 = await reviewPhase2(paths, opts.phase);
  if (opts.json) return print(r2);
  process.stdout.write(renderReview2(r2, await sessionCosts2(paths, r2.phase)));
});
program.command("browse [path]").description(
  "the whole history as plain files: a detached worktree of the agent-tracking branch that follows it after each flush (default ../<repo>-agent-tracking)"
).option("--remove", "remove that browse worktree").option("--json", 'print {"dir", "tip", "created"} as JSON').action(async (dir, opts) => {
  const paths = repo();
  const target2 = dir ?? defaultBrowseDir(paths);
  if (opts.remove) {
    const removed = unbrowse(paths, target2);
    if (!removed)
      throw new UserError(`${path42.resolve(target2)} is not a browse worktree of this repository`);
    return print(opts.json ? { dir: path42.resolve(target2), removed } : `removed ${path42.resolve(target2)}`);
  }
  const r2 = browse(paths, target2);
  if (opts.json) return print(r2);
  print(
    [
      `${r2.created ? "created" : "updated"} ${r2.dir} at ${r2.tip.slice(0, 7)} (detached: a commit there moves no branch)`,
      "it follows the branch after each flush, pull and import; edits there are not kept",
      `remove it with: ${invocation(paths)} browse --remove ${JSON.stringify(r2.dir)}`
    ].join("\n")
  );
});
registerArchive(program, {
  repo,
  print,
  fail: (message) => {
    throw new UserError(message);
  }
});
registerCompact(program, {
  repo,
  print,
  fail: (message) => {
    throw new UserError(message);
  }
});
registerDriveCommands(program, { repo, print, UserError });
registerDashboard(program);
registerRedactions(program);
registerSearch(program, { repo, print, version: program.version() ?? "0.0.0" });
registerAttribution(program, {
  repo,
  print,
  fail: (message) => {
    throw new UserError(message);
  },
  version: program.version() ?? "0.0.0",
  cli: () => invocation(repo())
});
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode;
  else {
    const msg = e instanceof UserError || e instanceof NoBranchError ? e.message : e instanceof Error ? e.message : String(e);
    process.stderr.write(`agent-track: ${runnable(msg)}
`);
    process.exitCode = 1;
  }
}
