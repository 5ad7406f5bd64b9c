#!/usr/bin/env bash
# Validates the deployment files under deploy/ without a cluster and without network access.
#
#   deploy/validate.sh
#
# 1. Schemas: every Kubernetes manifest under deploy/kubernetes (kustomization.yaml files aside)
#    against the OpenAPI schemas bundled in the PyPI package kubernetes-validate, with --strict
#    (an unknown or misspelt field fails), for each version in $KUBERNETES_VERSIONS. A kind it has
#    no schema for, or a file with no resource, fails too.
# 2. Kustomizations: each kustomization.yaml names files that exist, and every manifest is named
#    by one. With kubectl on PATH, `kubectl kustomize` renders each and the output is validated
#    as in 1.
# 3. References between the manifests: the Secrets, ConfigMaps and keys the pods use, volume
#    mounts, named ports, Service and PodDisruptionBudget selectors, the files CATALOG_SOURCES
#    and CATALOG_AUTH_TOKENS name, the data files sources.yaml names, the database URL.
# 4. deploy/Containerfile: every COPY source exists in the repository and is not excluded from
#    the build context by deploy/.containerignore, every COPY --from names an earlier stage, and
#    its user, port and plugin directory are the Deployment's.
# 5. Optional smoke test of the ConfigMap: with CATALOG_SERVER_BIN (a built catalog-server) and
#    CATALOG_SERVER_PLUGINS (a directory of plugins, as build-plugins.sh writes it), the server
#    is started on 127.0.0.1 with the ConfigMap's files, and every source they define must be
#    `available` with at least one entity.
#
# Environment:
#   KUBERNETES_VALIDATE     the kubernetes-validate executable (default: kubernetes-validate on
#                           PATH), e.g. from `python3 -m venv .build-venv &&
#                           .build-venv/bin/pip install "kubernetes-validate==1.37.0"`
#   KUBERNETES_VERSIONS     Kubernetes versions to validate against, space-separated
#                           (default: "1.30.0 1.37.0": the oldest and the newest this targets)
#   PYTHON                  a Python 3 with PyYAML for checks 2-5 (default: the interpreter of
#                           kubernetes-validate, which depends on PyYAML)
#   KUBECTL                 kubectl for check 2's rendering (default: kubectl on PATH; empty
#                           skips the rendering)
#   CATALOG_SERVER_BIN, CATALOG_SERVER_PLUGINS   enable check 5
#
# Exits 0 when everything passed, 1 when anything failed.
set -euo pipefail

deploy="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$deploy/.." && pwd)"
manifests="$deploy/kubernetes"
validator="${KUBERNETES_VALIDATE:-kubernetes-validate}"
read -r -a versions <<<"${KUBERNETES_VERSIONS:-1.30.0 1.37.0}"
kubectl="${KUBECTL-$(command -v kubectl || true)}"

validator_path="$(command -v "$validator" || true)"
if [ -z "$validator_path" ]; then
    echo "validate: kubernetes-validate not found (\"$validator\"); install it with" >&2
    echo "  python3 -m venv .build-venv && .build-venv/bin/pip install 'kubernetes-validate==1.37.0'" >&2
    echo "and set KUBERNETES_VALIDATE=.build-venv/bin/kubernetes-validate" >&2
    exit 1
fi

# The interpreter for the checks below: $PYTHON, else kubernetes-validate's own (its shebang,
# or the python beside it in a venv), else python3; it must import yaml.
python="${PYTHON:-}"
if [ -z "$python" ]; then
    shebang="$(head -n 1 "$validator_path" 2>/dev/null || true)"
    case "$shebang" in
        '#!'*python*) python="${shebang#\#!}"; python="${python%% *}" ;;
    esac
    [ -n "$python" ] && [ -x "$python" ] || python="$(dirname "$validator_path")/python"
    [ -x "$python" ] || python="python3"
fi
if ! "$python" -c 'import yaml' 2>/dev/null; then
    echo "validate: $python cannot import yaml (PyYAML); set PYTHON to an interpreter that can" >&2
    exit 1
fi

failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

version_args=()
for version in "${versions[@]}"; do version_args+=(-k "$version"); done

# Runs kubernetes-validate on FILE (named LABEL in messages); any ERROR, WARN or FATAL line, a
# non-zero status or no resource at all is a failure.
validate_file() {
    local file="$1" label="$2" output status=0 passed
    output="$("$validator" --strict "${version_args[@]}" "$file" 2>&1)" || status=$?
    output="${output//"$file"/$label}"
    passed="$(grep -c '^INFO .* passed for resource' <<<"$output" || true)"
    if [ "$status" -ne 0 ] || grep -Eq '^(ERROR|WARN|FATAL)' <<<"$output" || [ "$passed" -eq 0 ]; then
        fail "$label:"
        grep -v '^INFO ' <<<"${output:-(no output: the file holds no resource)}" | sed 's/^/    /'
        return
    fi
    # One line per resource, with the versions it passed against.
    sed -n 's/^INFO .* passed for resource \([^ ]*\) against version \(.*\)$/\1 \2/p' <<<"$output" \
        | awk -v label="$label" '{ seen[$1] = seen[$1] (seen[$1] ? ", " : "") $2; if (!($1 in order)) { order[$1] = n++ } }
            END { for (r in order) names[order[r]] = r; for (i = 0; i < n; i++) printf "ok   %s: %s (Kubernetes %s)\n", label, names[i], seen[names[i]] }'
}

echo "== 1. schemas: kubernetes-validate $("$validator" --version 2>&1), --strict, Kubernetes ${versions[*]}"
mapfile -t files < <(cd "$deploy" && find kubernetes -name '*.yaml' ! -name kustomization.yaml | LC_ALL=C sort)
[ "${#files[@]}" -gt 0 ] || fail "no manifest under $manifests"
for file in "${files[@]}"; do
    validate_file "$deploy/$file" "deploy/$file"
done

echo "== 2. kustomizations, rendered"
mapfile -t kustomizations < <(cd "$deploy" && find kubernetes -name kustomization.yaml | LC_ALL=C sort)
if [ -z "$kubectl" ]; then
    echo "note kubectl not found (or KUBECTL empty): kustomizations are checked for their files, not rendered"
fi
rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
for kustomization in "${kustomizations[@]}"; do
    dir="$(dirname "$kustomization")"
    if [ -n "$kubectl" ]; then
        if "$kubectl" kustomize "$deploy/$dir" >"$rendered" 2>&1; then
            validate_file "$rendered" "deploy/$dir (kubectl kustomize)"
        else
            fail "deploy/$dir: kubectl kustomize failed:"
            sed 's/^/    /' "$rendered"
        fi
    fi
done

status=0
"$python" - "$root" <<'PY' || status=$?
import fnmatch, json, os, re, shlex, socket, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request
import yaml

root = sys.argv[1]
deploy = os.path.join(root, "deploy")
manifests = os.path.join(deploy, "kubernetes")
failures = 0

def fail(message):
    global failures
    failures += 1
    print(f"FAIL {message}")

def ok(message):
    print(f"ok   {message}")

def rel(path):
    return os.path.relpath(path, root)

# --- Load every manifest -------------------------------------------------------------------
objects = []           # (file, document)
kustomizations = {}    # directory -> document
for directory, subdirectories, names in os.walk(manifests):
    subdirectories.sort()
    for name in sorted(names):
        path = os.path.join(directory, name)
        if not name.endswith((".yaml", ".yml")):
            continue
        try:
            with open(path) as handle:
                documents = [d for d in yaml.safe_load_all(handle) if d]
        except yaml.YAMLError as error:
            fail(f"{rel(path)}: not YAML: {error}")
            continue
        if name == "kustomization.yaml":
            kustomizations[directory] = documents[0] if documents else {}
        else:
            objects.extend((path, document) for document in documents)

def find(kind, name):
    return next((d for _, d in objects if d.get("kind") == kind and d.get("metadata", {}).get("name") == name), None)

def keys_of(document):
    return set((document.get("data") or {}).keys()) | set((document.get("stringData") or {}).keys()) | set((document.get("binaryData") or {}).keys())

def value_of(document, key):
    return (document.get("stringData") or {}).get(key) or (document.get("data") or {}).get(key)

# --- 2. Kustomizations: listed files exist, every manifest is listed -------------------------
print("== 2. kustomizations, their resources")
listed = set()
for directory, kustomization in sorted(kustomizations.items()):
    label = rel(os.path.join(directory, "kustomization.yaml"))
    if kustomization.get("kind") != "Kustomization" or not str(kustomization.get("apiVersion", "")).startswith("kustomize.config.k8s.io/"):
        fail(f"{label}: not a kustomize.config.k8s.io Kustomization")
    resources = kustomization.get("resources") or []
    if not resources:
        fail(f"{label}: lists no resources")
    for resource in resources:
        path = os.path.normpath(os.path.join(directory, resource))
        if os.path.isfile(path):
            listed.add(path)
        elif not os.path.isfile(os.path.join(path, "kustomization.yaml")):
            fail(f"{label}: resource {resource} does not exist")
    ok(f"{label}: {len(resources)} resource(s): {', '.join(resources)}")
for path in sorted({p for p, _ in objects}):
    if path not in listed:
        fail(f"{rel(path)} is listed by no kustomization.yaml")

# --- 3. References -------------------------------------------------------------------------
print("== 3. references between the manifests")
def pod_spec(document):
    kind = document.get("kind")
    spec = document.get("spec") or {}
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"):
        return (spec.get("template") or {}).get("spec")
    if kind == "CronJob":
        return (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")
    if kind == "Pod":
        return spec
    return None

def template_labels(document):
    spec = document.get("spec") or {}
    return ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}

def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())

workloads = [(path, d) for path, d in objects if pod_spec(d) is not None]

def check_reference(label, kind, name, key=None, optional=False):
    target = find(kind, name)
    if target is None:
        if not optional:
            fail(f"{label}: {kind} {name} is not among the manifests")
        return False
    if key is not None and key not in keys_of(target):
        if not optional:
            fail(f"{label}: {kind} {name} has no key {key}")
        return False
    return True

for path, workload in workloads:
    name = f"{workload['kind']}/{workload['metadata'].get('name')}"
    label = f"{rel(path)}: {name}"
    spec = pod_spec(workload)
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    claim_templates = {c["metadata"]["name"] for c in (workload.get("spec") or {}).get("volumeClaimTemplates") or []}
    selector = ((workload.get("spec") or {}).get("selector") or {}).get("matchLabels")
    if workload["kind"] in ("Deployment", "StatefulSet", "DaemonSet") and not matches(selector, template_labels(workload)):
        fail(f"{label}: spec.selector.matchLabels does not match the pod template's labels")
    if workload["kind"] == "StatefulSet" and find("Service", workload["spec"].get("serviceName")) is None:
        fail(f"{label}: serviceName {workload['spec'].get('serviceName')} is not among the manifests")
    for volume in volumes.values():
        if "secret" in volume:
            source = volume["secret"]
            for item in source.get("items") or [{}]:
                check_reference(f"{label}: volume {volume['name']}", "Secret", source["secretName"], item.get("key"), source.get("optional", False))
        if "configMap" in volume:
            source = volume["configMap"]
            for item in source.get("items") or [{}]:
                check_reference(f"{label}: volume {volume['name']}", "ConfigMap", source["name"], item.get("key"), source.get("optional", False))

    # Files that a mounted ConfigMap or Secret provides: absolute path -> (kind, name, key).
    mounted_files = {}
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        where = f"{label}: container {container.get('name')}"
        ports = {p.get("name") for p in container.get("ports") or []} | {p.get("containerPort") for p in container.get("ports") or []}
        for mount in container.get("volumeMounts") or []:
            volume = volumes.get(mount["name"])
            if volume is None and mount["name"] not in claim_templates:
                fail(f"{where}: volumeMount {mount['name']} names no volume")
                continue
            for kind, field, name_field in (("ConfigMap", "configMap", "name"), ("Secret", "secret", "secretName")):
                if volume and field in volume:
                    source = volume[field]
                    target = find(kind, source[name_field])
                    items = source.get("items") or [{"key": k, "path": k} for k in sorted(keys_of(target or {}))]
                    for item in items:
                        mounted_files[os.path.join(mount["mountPath"], item["path"])] = (kind, source[name_field], item["key"])
        for variable in container.get("env") or []:
            source = variable.get("valueFrom") or {}
            for kind, field in (("Secret", "secretKeyRef"), ("ConfigMap", "configMapKeyRef")):
                if field in source:
                    reference = source[field]
                    check_reference(f"{where}: env {variable['name']}", kind, reference["name"], reference["key"], reference.get("optional", False))
        for source in container.get("envFrom") or []:
            for kind, field in (("Secret", "secretRef"), ("ConfigMap", "configMapRef")):
                if field in source:
                    check_reference(f"{where}: envFrom", kind, source[field]["name"], None, source[field].get("optional", False))
        for probe_name in ("startupProbe", "livenessProbe", "readinessProbe"):
            port = ((container.get(probe_name) or {}).get("httpGet") or {}).get("port")
            if port is not None and port not in ports:
                fail(f"{where}: {probe_name} port {port} is not a port of the container")
        # The server's file options must name files the pod mounts.
        environment = {v["name"]: v.get("value") for v in container.get("env") or []}
        for variable in ("CATALOG_SOURCES", "CATALOG_AUTH_TOKENS"):
            for file in filter(None, (environment.get(variable) or "").split(",")):
                file = file.strip()
                if file not in mounted_files:
                    fail(f"{where}: {variable} names {file}, which no mounted ConfigMap or Secret provides")
                else:
                    kind, name, key = mounted_files[file]
                    ok(f"{where}: {variable} {file} is {kind} {name} key {key}")

# Services and PodDisruptionBudgets select pods that exist, on ports the pods have.
for path, document in objects:
    kind = document.get("kind")
    label = f"{rel(path)}: {kind}/{document['metadata'].get('name')}"
    if kind == "Service":
        selector = document["spec"].get("selector")
        targets = [w for _, w in workloads if matches(selector, template_labels(w))]
        if not targets:
            fail(f"{label}: its selector matches no workload's pods")
        for port in document["spec"].get("ports") or []:
            target_port = port.get("targetPort", port.get("port"))
            for workload in targets:
                container_ports = [p for c in pod_spec(workload)["containers"] for p in c.get("ports") or []]
                if not any(target_port in (p.get("name"), p.get("containerPort")) for p in container_ports):
                    fail(f"{label}: targetPort {target_port} is not a port of {workload['kind']}/{workload['metadata'].get('name')}")
        if targets:
            ok(f"{label} selects {', '.join(w['kind'] + '/' + w['metadata']['name'] for w in targets)}")
    if kind == "PodDisruptionBudget":
        selector = (document["spec"].get("selector") or {}).get("matchLabels")
        if not any(matches(selector, template_labels(w)) for _, w in workloads):
            fail(f"{label}: its selector matches no workload's pods")

# The ConfigMap's sources.yaml names data files that are keys of the same ConfigMap.
def catalog_paths(sources):
    """(location, value) of every *Path property of every source, in either format."""
    entries = []
    for key, section in ((sources.get("catalogs") or {}) if isinstance(sources.get("catalogs"), dict) else {}).items():
        for index, source in enumerate((section or {}).get("sources") or []):
            entries.append((f"catalogs.{key}.sources[{index}]", source))
    for key in ("model_catalogs", "mcp_catalogs") + (("catalogs",) if isinstance(sources.get("catalogs"), list) else ()):
        for index, source in enumerate(sources.get(key) or []):
            entries.append((f"{key}[{index}]", source))
    for location, source in entries:
        for name, value in ((source or {}).get("properties") or {}).items():
            if name.endswith("Path") and isinstance(value, str):
                yield f"{location}.properties.{name}", value

for path, document in objects:
    if document.get("kind") != "ConfigMap" or "sources.yaml" not in keys_of(document):
        continue
    label = f"{rel(path)}: ConfigMap/{document['metadata'].get('name')}"
    data = document.get("data") or {}
    parsed = {}
    for key, text in data.items():
        try:
            parsed[key] = yaml.safe_load(text)
        except yaml.YAMLError as error:
            fail(f"{label}: {key} is not YAML: {error}")
            continue
        if not isinstance(parsed[key], dict):
            fail(f"{label}: {key} is not a YAML mapping")
    sources = parsed.get("sources.yaml") or {}
    named = set()
    for location, value in catalog_paths(sources if isinstance(sources, dict) else {}):
        if value.startswith("/"):
            ok(f"{label}: sources.yaml {location} = {value} (absolute: not checked)")
            continue
        named.add(value)
        if value not in data:
            fail(f"{label}: sources.yaml {location} = {value} is not a key of the ConfigMap")
    if not named:
        fail(f"{label}: sources.yaml names no data file")
    for key in sorted(set(data) - named - {"sources.yaml"}):
        fail(f"{label}: key {key} is named by no source of sources.yaml")
    if named <= set(data):
        ok(f"{label}: sources.yaml names {', '.join(sorted(named))}, all present")

# The database URL parses, and matches the evaluation PostgreSQL when it points at it.
server_secret = find("Secret", "catalog-server")
if server_secret is not None and "database-url" in keys_of(server_secret):
    url = urllib.parse.urlsplit(value_of(server_secret, "database-url") or "")
    if url.scheme not in ("postgres", "postgresql") or not url.hostname or not url.path.strip("/") or not url.username:
        fail("Secret/catalog-server database-url is not postgres://USER:PASSWORD@HOST:PORT/DATABASE")
    else:
        ok(f"Secret/catalog-server database-url: {url.scheme}://{url.username}:…@{url.hostname}:{url.port or 5432}/{url.path.strip('/')}")
    evaluation = find("Secret", "catalog-postgres")
    if evaluation is not None and url.hostname == "catalog-postgres":
        expected = (value_of(evaluation, "POSTGRES_USER"), value_of(evaluation, "POSTGRES_PASSWORD"), value_of(evaluation, "POSTGRES_DB"))
        if (urllib.parse.unquote(url.username or ""), urllib.parse.unquote(url.password or ""), url.path.strip("/")) != expected:
            fail("Secret/catalog-server database-url does not match Secret/catalog-postgres (user, password, database)")
        else:
            ok("Secret/catalog-server database-url matches the evaluation PostgreSQL's user, password and database")
    tokens = value_of(server_secret, "auth-tokens") or ""
    lines = [l.split("#")[0].split() for l in tokens.splitlines()]
    lines = [l for l in lines if l]
    if not lines or any(len(l) != 2 or l[1] not in ("read", "admin") for l in lines):
        fail("Secret/catalog-server auth-tokens is not a file of \"TOKEN ROLE\" lines (role read or admin)")
    elif any(len(l[0]) < 16 for l in lines):
        print("note Secret/catalog-server auth-tokens holds the placeholder (shorter than 16 characters, refused by the server): replace it before deploying")

# --- 4. Containerfile ------------------------------------------------------------------------
print("== 4. deploy/Containerfile")
containerfile = os.path.join(deploy, "Containerfile")
ignore_file = os.path.join(deploy, ".containerignore")
instructions = []
with open(containerfile) as handle:
    pending, start = "", 0
    for number, line in enumerate(handle, 1):
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        start = start or number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        text = pending + stripped
        word, _, rest = text.partition(" ")
        instructions.append((start, word.upper(), rest.strip()))
        pending, start = "", 0

ignore_patterns = []
if os.path.isfile(ignore_file):
    with open(ignore_file) as handle:
        ignore_patterns = [l.strip().rstrip("/") for l in handle if l.strip() and not l.startswith("#")]

def ignored(path):
    path = os.path.normpath(path).lstrip("./")
    parts = path.split("/")
    for pattern in ignore_patterns:
        if pattern.startswith("!"):
            continue
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if fnmatch.fnmatch(prefix, pattern.lstrip("/")) or (pattern.startswith("**/") and fnmatch.fnmatch(parts[depth - 1], pattern[3:])):
                return pattern
    return None

label = rel(containerfile)
failures_before = failures
stages, user, exposed, entrypoint, environment = [], None, [], None, {}
copies = 0
for number, word, rest in instructions:
    where = f"{label}:{number}"
    if word == "FROM":
        match = re.match(r"(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", rest, re.IGNORECASE)
        stages.append((match.group(2) or "").lower())
        user = None
    elif word in ("COPY", "ADD"):
        arguments = shlex.split(rest)
        flags = [a for a in arguments if a.startswith("--")]
        paths = [a for a in arguments if not a.startswith("--")]
        source_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
        if len(paths) < 2:
            fail(f"{where}: {word} needs a source and a destination")
            continue
        if source_stage is not None:
            if source_stage.lower() not in stages[:-1]:
                fail(f"{where}: {word} --from={source_stage} names no earlier stage")
            continue
        for source in paths[:-1]:
            copies += 1
            if not os.path.exists(os.path.join(root, source)):
                fail(f"{where}: {word} source {source} does not exist in the repository")
            elif ignored(source):
                fail(f"{where}: {word} source {source} is excluded from the context by {ignored(source)} in deploy/.containerignore")
    elif word == "USER":
        user = rest
    elif word == "EXPOSE":
        exposed += [int(p.split("/")[0]) for p in rest.split()]
    elif word == "ENTRYPOINT":
        entrypoint = rest
    elif word == "ENV":
        for assignment in shlex.split(rest):
            if "=" in assignment:
                key, _, value = assignment.partition("=")
                environment[key] = value

if len(stages) < 2:
    fail(f"{label}: expected a builder and a runtime stage")
if copies == 0:
    fail(f"{label}: copies nothing from the repository")
if entrypoint is None:
    fail(f"{label}: no ENTRYPOINT")
deployment = find("Deployment", "catalog-server")
if deployment is not None:
    spec = pod_spec(deployment)
    container = spec["containers"][0]
    run_as = (container.get("securityContext") or {}).get("runAsUser", (spec.get("securityContext") or {}).get("runAsUser"))
    uid = (user or "").split(":")[0]
    if not uid.isdigit() or int(uid) == 0:
        fail(f"{label}: the runtime stage's USER ({user}) must be a numeric non-root uid (runAsNonRoot checks it)")
    elif run_as is not None and int(uid) != run_as:
        fail(f"{label}: USER {uid} but the Deployment runs as {run_as}")
    ports = [p["containerPort"] for p in container.get("ports") or []]
    if not set(ports) <= set(exposed):
        fail(f"{label}: EXPOSE {exposed} but the Deployment's container ports are {ports}")
    deployment_env = {v["name"]: v.get("value") for v in container.get("env") or []}
    for variable in ("CATALOG_PLUGINS_DIR", "CATALOG_LISTEN"):
        if variable in deployment_env and variable in environment and deployment_env[variable] != environment[variable]:
            fail(f"{label}: ENV {variable}={environment[variable]} but the Deployment sets {deployment_env[variable]}")
if failures == failures_before:
    ok(f"{label}: {len(stages)} stages, {copies} COPY source(s) present and in the context, USER {user}, EXPOSE {' '.join(map(str, exposed))}")

# --- 5. Smoke test of the ConfigMap with a real server (optional) ---------------------------
print("== 5. smoke test of the ConfigMap")
binary = os.environ.get("CATALOG_SERVER_BIN")
plugins = os.environ.get("CATALOG_SERVER_PLUGINS")
config = find("ConfigMap", "catalog-server-config")
if not binary:
    print("note smoke test skipped: set CATALOG_SERVER_BIN (a built catalog-server) and CATALOG_SERVER_PLUGINS (its plugins) to run it")
elif not plugins or not os.path.isdir(plugins):
    fail("smoke test: CATALOG_SERVER_PLUGINS must name a directory of plugins (build-plugins.sh DIR)")
elif config is None:
    fail("smoke test: ConfigMap catalog-server-config is not among the manifests")
else:
    with tempfile.TemporaryDirectory() as work:
        # The layout of a ConfigMap volume: each key a link to ..data/KEY, ..data a link to a
        # timestamped directory holding the files.
        config_dir = os.path.join(work, "config")
        os.makedirs(os.path.join(config_dir, "..2000_01_01_00_00_00.0"))
        os.symlink("..2000_01_01_00_00_00.0", os.path.join(config_dir, "..data"))
        for key, text in (config.get("data") or {}).items():
            with open(os.path.join(config_dir, "..2000_01_01_00_00_00.0", key), "w") as handle:
                handle.write(text)
            os.symlink(os.path.join("..data", key), os.path.join(config_dir, key))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CATALOG_")}
        environment["XDG_CACHE_HOME"] = os.path.join(work, "cache")
        log_path = os.path.join(work, "server.log")
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [binary, "--listen", f"127.0.0.1:{port}", "--plugins-dir", plugins,
                 "--sources", os.path.join(config_dir, "sources.yaml"), "--state-dir", os.path.join(work, "state"),
                 "--reconcile-interval", "0", "--log-level", "warning"],
                env=environment, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"

        def get(path):
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return json.load(response)

        try:
            ready = None
            for _ in range(300):
                if server.poll() is not None:
                    break
                try:
                    ready = get("/readyz")
                    break
                except (urllib.error.URLError, ConnectionError, OSError):
                    time.sleep(0.1)
            if ready is None:
                fail(f"smoke test: the server did not become ready (exit status {server.poll()})")
            else:
                if ready.get("status") != "ready":
                    fail(f"smoke test: /readyz says {ready.get('status')}: {json.dumps(ready.get('components'))}")
                listing = get("/api/plugins")
                for failure in listing.get("failures") or []:
                    fail(f"smoke test: plugin file {failure.get('file')} refused at {failure.get('stage')}: {failure.get('reason')}")
                for plugin in listing.get("plugins") or []:
                    if not plugin.get("healthy"):
                        fail(f"smoke test: plugin {plugin.get('name')} is not healthy: {(plugin.get('status') or {}).get('lastError')}")
                ok(f"smoke test: /readyz ready, plugins {', '.join(p['name'] for p in listing.get('plugins') or [])} healthy")
                expected = {}
                sources = yaml.safe_load(config["data"]["sources.yaml"])
                for key, section in (sources.get("catalogs") or {}).items():
                    for source in (section or {}).get("sources") or []:
                        expected[source["id"]] = key
                seen = {}
                for plugin in listing.get("plugins") or []:
                    try:
                        answer = get(plugin["basePath"] + "/sources")
                    except urllib.error.HTTPError:
                        continue
                    for source in answer.get("sources") or []:
                        seen[source.get("id")] = (plugin["name"], source)
                for source_id in sorted(expected):
                    if source_id not in seen:
                        fail(f"smoke test: source {source_id} is served by no plugin")
                        continue
                    plugin_name, source = seen[source_id]
                    status = source.get("status") or {}
                    state = status.get("state", source.get("state"))
                    count = status.get("entityCount", source.get("entityCount"))
                    if state != "available" or not count:
                        fail(f"smoke test: source {source_id} ({plugin_name}) is {state} with {count} entities: {status.get('error') or source.get('error')}")
                    else:
                        ok(f"smoke test: source {source_id} ({plugin_name}) available, {count} entities")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            if failures:
                with open(log_path) as log:
                    print("    server log:\n" + "".join("    " + l for l in log.readlines()[-40:]))

sys.exit(1 if failures else 0)
PY
[ "$status" -eq 0 ] || failures=$((failures + 1))

if [ "$failures" -ne 0 ]; then
    echo "validate: FAILED (see the FAIL lines above)"
    exit 1
fi
echo "validate: all deployment files valid"
