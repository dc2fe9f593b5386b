#!/usr/bin/env bash
# Builds the benchmark jar and runs every benchmark of docs/BENCHMARKS.md: about 12 minutes on 2 cores.
# Results go to benchmarks/target/results/. Not part of CI: ./mvnw verify only compiles this module.
#   benchmarks/run.sh              everything
#   benchmarks/run.sh jmh|stampede|boundary|fleet|footprint   one part (after a first full run has built the jar)
# The fleet part needs redis-server (Debian package redis-server) on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/target/results
jar=benchmarks/target/benchmarks.jar
part="${1:-all}"
mkdir -p "$out"

machine() {
  { echo "nproc: $(nproc)"; lscpu | grep -m1 'Model name' || true; java -version 2>&1; } | tee "$out/machine.txt"
}

build() {
  # -am builds token-core, token-viveport, token-vyopta and token-redis from this checkout; nothing is installed into ~/.m2.
  ./mvnw -B -q -pl benchmarks -am package -Pbenchmarks-jar -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
}

jmh() {
  # 22 benchmarks x (2 x 1 s warm-up + 3 x 2 s measurement) in one fork each: about 4 minutes.
  java -jar "$jar" -f 1 -wi 2 -w 1s -i 3 -r 2s -prof gc -rf json -rff "$out/jmh.json" \
    'HotPath|InterceptorTokenCost|InterceptorOverhead|FetchOverhead' | tee "$out/jmh.txt"
}

stampede() {
  java -Xss256k -cp "$jar" io.servicetoken.benchmarks.Stampede 1000 10000 2>/dev/null | tee "$out/stampede.md"
}

boundary() {
  java -cp "$jar" io.servicetoken.benchmarks.Boundary 2>/dev/null | tee "$out/boundary.md"
}

# 8 JVMs x 60 s three times (with the store, without, Redis killed mid-run) and 9 one-token JVMs: about 5 minutes.
fleet() {
  java -cp "$jar" io.servicetoken.benchmarks.Fleet 60 8 2>/dev/null | tee "$out/fleet.md"
}

# Bytes of the runtime dependency closure (the jars an app ships) of one vendor module, and of each peer.
footprint() {
  local tmp sum
  tmp="$(mktemp -d)"
  ./mvnw -B -q -pl token-vyopta -am package dependency:copy-dependencies -DincludeScope=runtime \
    -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Danimal.sniffer.skip=true
  mkdir -p "$tmp/servicetoken-vyopta"
  cp token-vyopta/target/dependency/*.jar token-vyopta/target/token-vyopta-*.jar "$tmp/servicetoken-vyopta/"
  rm -f "$tmp"/servicetoken-vyopta/*-sources.jar "$tmp"/servicetoken-vyopta/*-javadoc.jar
  for peer in com.google.auth:google-auth-library-oauth2-http:1.52.0 com.azure:azure-core:1.57.0 \
      software.amazon.awssdk:utils:2.57.8; do
    IFS=: read -r g a v <<<"$peer"
    mkdir -p "$tmp/$a"
    cat >"$tmp/$a/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>footprint</groupId><artifactId>$a-app</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency></dependencies>
</project>
POM
    ./mvnw -B -q -f "$tmp/$a/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/$a"
  done
  {
    echo "| closure | jars | bytes | MB |"
    echo "| --- | ---: | ---: | ---: |"
    for d in servicetoken-vyopta google-auth-library-oauth2-http azure-core utils; do
      sum=$(find "$tmp/$d" -name '*.jar' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
      echo "| $d | $(find "$tmp/$d" -name '*.jar' | wc -l) | $sum | $(awk -v s="$sum" 'BEGIN {printf "%.2f", s/1048576}') |"
    done
    echo
    for d in servicetoken-vyopta google-auth-library-oauth2-http azure-core utils; do
      echo "$d: $(cd "$tmp/$d" && ls ./*.jar | sed 's#^\./##' | tr '\n' ' ')"
    done
  } | tee "$out/footprint.md"
  rm -rf "$tmp"
}

timed() { local s=$SECONDS; "$@"; echo "[$1: $((SECONDS - s)) s]" | tee -a "$out/timings.txt"; }

case "$part" in
  all) : >"$out/timings.txt"; timed machine; timed build; timed jmh; timed stampede; timed boundary; timed fleet
    timed footprint ;;
  jmh|stampede|boundary|fleet|footprint|build|machine) timed "$part" ;;
  *) echo "unknown part: $part" >&2; exit 2 ;;
esac
