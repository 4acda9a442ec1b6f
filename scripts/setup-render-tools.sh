#!/bin/sh
# Install the tools the diagram tests check against: Graphviz's `dot` (apt) and
# Mermaid's own renderer, @mermaid-js/mermaid-cli (npm, into .render-tools/),
# driven by Debian's Chromium (puppeteer's browser download is skipped).
# Idempotent and quick when everything is there; without root or a registry the
# tools stay missing and the tests that need them are skipped with the reason.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tools="$here/.render-tools"
MERMAID_CLI_VERSION=11.12.0

need_apt=""
command -v dot >/dev/null 2>&1 || need_apt="$need_apt graphviz"
[ -x /usr/bin/chromium ] || need_apt="$need_apt chromium"
# Fonts so that Chromium and Graphviz measure text as they draw it.
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt="$need_apt fonts-dejavu-core"
if [ -n "$need_apt" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup-render-tools: apt-get install$need_apt" >&2
        apt-get update -qq >/dev/null
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need_apt >/dev/null
    else
        echo "setup-render-tools: not root, cannot install$need_apt" >&2
    fi
fi

mmdc="$tools/node_modules/.bin/mmdc"
installed=""
[ -f "$tools/node_modules/@mermaid-js/mermaid-cli/package.json" ] && \
    installed=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' \
        "$tools/node_modules/@mermaid-js/mermaid-cli/package.json" | head -n 1)
if [ "$installed" != "$MERMAID_CLI_VERSION" ]; then
    if command -v npm >/dev/null 2>&1; then
        mkdir -p "$tools"
        printf '*\n' > "$tools/.gitignore"
        [ -f "$tools/package.json" ] || printf '{"name": "netsim-render-tools", "private": true}\n' > "$tools/package.json"
        # A registry that stops answering mid-download once left npm idle for
        # good: each attempt is bounded, and a second one is made. If both fail,
        # the half-installed tree is removed so the Mermaid tests skip with
        # their reason instead of running a broken renderer.
        attempt=1
        while :; do
            echo "setup-render-tools: npm install @mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION (attempt $attempt)" >&2
            if (cd "$tools" && PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
                timeout 600 npm install --silent --no-audit --no-fund --save-exact \
                --fetch-timeout=60000 --fetch-retries=3 \
                "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION" >/dev/null); then
                break
            fi
            if [ "$attempt" -ge 2 ]; then
                echo "setup-render-tools: npm install failed twice, Mermaid tests will be skipped" >&2
                rm -rf "$tools/node_modules"
                break
            fi
            attempt=$((attempt + 1))
        done
    else
        echo "setup-render-tools: npm missing, Mermaid tests will be skipped" >&2
    fi
fi
if [ -d "$tools" ]; then
    printf '*\n' > "$tools/.gitignore"
    # Debian's Chromium, without the setuid sandbox (we run as root in CI).
    cat > "$tools/puppeteer.json" <<'EOF'
{"executablePath": "/usr/bin/chromium",
 "args": ["--no-sandbox", "--disable-setuid-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}
EOF
fi
if [ -d "$tools/node_modules/mermaid" ]; then
    # The checker the Mermaid tests run: Mermaid's own parser and renderer, loaded once
    # in headless Chromium, over every file named on the command line.
    cat > "$tools/mermaid-check.cjs" <<'EOF'
// Parse and render Mermaid diagrams in headless Chromium; print one JSON line per diagram.
const fs = require("fs");
const path = require("path");
const tools = process.argv[2];
const puppeteer = require(path.join(tools, "node_modules", "puppeteer-core"));
const config = JSON.parse(fs.readFileSync(path.join(tools, "puppeteer.json"), "utf8"));
(async () => {
  const browser = await puppeteer.launch({ ...config, headless: true });
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: path.join(tools, "node_modules", "mermaid", "dist", "mermaid.min.js") });
    await page.evaluate(() => mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
    for (const file of process.argv.slice(3)) {
      const text = fs.readFileSync(file, "utf8");
      const answer = await page.evaluate(async (text, id) => {
        try {
          const parsed = await mermaid.parse(text);
          const { svg } = await mermaid.render(id, text);
          return { ok: true, type: parsed.diagramType, svg_bytes: svg.length };
        } catch (error) {
          return { ok: false, error: String(error && error.message || error) };
        }
      }, text, "d" + Math.random().toString(36).slice(2));
      console.log(JSON.stringify({ file, ...answer }));
    }
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(String(error)); process.exit(2); });
EOF
fi
[ -x "$mmdc" ] && echo "setup-render-tools: mmdc $MERMAID_CLI_VERSION ready" >&2
command -v dot >/dev/null 2>&1 && echo "setup-render-tools: $(dot -V 2>&1)" >&2
exit 0
