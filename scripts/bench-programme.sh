#!/usr/bin/env bash
# Benchmarks the programme run (README, Performance, "The programme run"):
#   - generates, once, folder-site programmes of 30 and 150 alike sites of 300 responses each
#     into target/bench-programme/ (examples/programme_sample.rs, seeded);
#   - times typst alone compiling one site's report build folder, with the arguments a report
#     gives it;
#   - runs `makeitstick report` in a fresh copy of each programme;
#   each measured RUNS times (default 3): median wall time, median CPU time (user + system of the
#   command and every process it started: unlike wall time, it hardly moves when other work shares
#   the machine), makeitstick's own peak memory (VmHWM) and the peak of makeitstick and its typst
#   processes together (resident memory summed, sampled every 10 ms);
#   - prints the figures and the target: whole run within 1.2 x (sites x typst alone) / cores.
# Usage: scripts/bench-programme.sh [SITES...]   (default: 30 150)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v python3 >/dev/null || { echo "error: the benchmark needs python3 to sample memory" >&2; exit 1; }

RESPONSES=300
RUNS=${RUNS:-3}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(30 150)
root=target/bench-programme
cargo build --release --quiet --bin makeitstick --example programme_sample
bin=$(pwd)/target/release/makeitstick
mkdir -p "$root"

for sites in "${SIZES[@]}"; do
  data="$root/sites-$sites"
  if [ ! -f "$data/programme.toml" ]; then
    rm -rf "$data.part"
    target/release/examples/programme_sample --sites "$sites" --responses "$RESPONSES" "$data.part"
    mv "$data.part" "$data"
  fi
done

# Typst alone: the build folder of one site's report (the single-organisation report of the first
# site's export; a site report adds its "How you compare" pages), compiled as a report compiles it.
first=("$root/sites-${SIZES[0]}"/sites/site-001/exports/*.xlsx)
build="$root/typst-alone"
rm -rf "$build" "$build.pdf"
"$bin" report "${first[0]}" --keep-build "$build" -o "$root/typst-alone-report.pdf" >/dev/null
cores=$(nproc)

# Runs a command RUNS times (in a fresh copy of a programme when given one) and prints the median
# wall and CPU time (user + system, the command and every process it started) in ms, and the
# highest peaks in KiB of the command's own memory (VmHWM) and of it and its children together
# (resident memory summed, sampled every 10 ms).
measure() {
  python3 - "$RUNS" "$@" <<'PY'
import os, shutil, subprocess, sys, time
runs, source, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]

def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def tree(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found

walls, cpus, owns, wholes = [], [], [], []
for _ in range(runs):
    cwd = None
    if source != "-":
        cwd = os.path.join(os.path.dirname(source), "run")
        shutil.rmtree(cwd, ignore_errors=True)
        shutil.copytree(source, cwd)
    start = time.monotonic()
    child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL)
    own = whole = 0
    while True:
        done, code, usage = os.wait4(child.pid, os.WNOHANG)
        if done:
            break
        own = max(own, status(child.pid, "VmHWM"))
        whole = max(whole, sum(status(p, "VmRSS") for p in tree(child.pid)))
        time.sleep(0.01)
    walls.append((time.monotonic() - start) * 1000)
    if code != 0:
        sys.exit(f"{' '.join(argv)} failed in {cwd} (status {code})")
    cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
    owns.append(own)
    wholes.append(whole)
    if cwd:
        shutil.rmtree(cwd)
median = lambda xs: sorted(xs)[len(xs) // 2]
print(f"{median(walls):.0f} {median(cpus):.0f} {max(owns)} {max(wholes)}")
PY
}

read -r typst_ms typst_cpu _ _ < <(cd "$build" && RUNS=5 measure - typst compile --root . \
  --font-path fonts --ignore-system-fonts --creation-timestamp 0 --diagnostic-format short \
  --pdf-standard ua-1 --format pdf report.typ ../typst-alone.pdf)
echo "typst alone, one site report: ${typst_ms} ms wall, ${typst_cpu} ms CPU (median of 5); cores: $cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '\n| sites x responses | whole run: wall | target: 1.2 x sites x typst alone / cores | wall ratio | CPU: run | CPU: sites x typst alone | CPU ratio | makeitstick peak | with its typst processes |\n'
printf '|---|--:|--:|--:|--:|--:|--:|--:|--:|\n'
for sites in "${SIZES[@]}"; do
  read -r wall cpu own whole < <(measure "$(pwd)/$root/sites-$sites" "$bin" report)
  python3 -c "
sites, typst, typst_cpu, cores = $sites, $typst_ms, $typst_cpu, $cores
wall, cpu, own, whole = $wall, $cpu, $own, $whole
ideal = sites * typst / cores
print(f'| {sites} x $RESPONSES | {wall/1000:.1f} s | {1.2*ideal/1000:.1f} s | {wall/ideal:.2f} x | {cpu/1000:.1f} s | {sites*typst_cpu/1000:.1f} s | {cpu/(sites*typst_cpu):.2f} x | {own/1024:.0f} MB | {whole/1024:.0f} MB |')
"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
