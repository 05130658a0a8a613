# nendb: the two commands of the quick start are `make demo` and `make test`.
# Every target installs what is missing first (.ci/install-deps).
#
#   make demo      build the wheel and run the demo on the bundled datasets
#   make test      the C++ unit suite (with the fuzz targets replaying their
#                  seed corpus) under ASan+UBSan, the multi-process stress and
#                  the kill loop in the optimized build, the Python suite, the
#                  C++ example against the installed library, the Python
#                  examples and the demo (about 20 minutes on 2 cores)
#   make unit      the C++ unit suite in the optimized build
#   make fuzz      libFuzzer targets (clang) for the log reader, the snapshot,
#                  projection-file and index-file loaders, FUZZ_SECONDS each (default 60)
#                  from the seed corpus
#   make bench     every benchmark side by side with the peers and the report in
#                  bench/results/ (QUICK=1: small sizes, a few minutes; COMPARE=FILE:
#                  what moved by more than 20% against an earlier report)
#   make stress    long-running reliability tests, the fuzzers for 30 min each
#   make format    clang-format the C++ sources
#   make docs      the Python API reference from the docstrings (pdoc), in build/docs/api

PYTHON ?= python3
JOBS ?= 2
CMAKE_FLAGS ?=
export CMAKE_BUILD_PARALLEL_LEVEL := $(JOBS)

BUILD := build
ASAN_BUILD := build-asan
FUZZ_BUILD := build-fuzz
INSTALL := $(BUILD)/install
FUZZ_SECONDS ?= 60
FUZZERS := log snapshot graph index

.PHONY: all deps configure core build unit mp asan fuzz python python-prebuilt pytest examples test demo docs bench stress format clean

all: build

deps:
	@PYTHON=$(PYTHON) .ci/install-deps

# Line tables only (-g1): backtraces and sanitizer reports name files and lines,
# and the build is a quarter faster than with full debug information (pass
# CMAKE_FLAGS='-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g -DNDEBUG' for a debugger).
RELEASE_FLAGS := "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(RELEASE_FLAGS) \
	  -DCMAKE_INSTALL_PREFIX=$(abspath $(INSTALL)) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# What make test needs of the optimized build: the library and the tool (for the
# wheel and the C++ example), the multi-process stress and the kill loop. The
# unit suite's other tests run under the sanitizers only: compiling them twice
# took a quarter of make test.
CORE_TARGETS := nendb nendb_cli mp_tests mp_worker crash_tests crash_writer
core: configure
	cmake --build $(BUILD) -j$(JOBS) --target $(CORE_TARGETS)

unit: build
	ctest --test-dir $(BUILD) -L unit --output-on-failure -j$(JOBS)

# Writer and reader processes on one database, with and without kills
# (not under the sanitizers, which do not see races between processes): 30 s
# and 12 kills here, 30 min and 500 kills in `make stress`; then the kill -9
# loop at full speed (200 cycles; 50 under the sanitizers, 1000 in `make stress`).
mp: core
	NENDB_MP_SECONDS=30 NENDB_MP_KILLS=12 ctest --test-dir $(BUILD) -L mp --output-on-failure
	ctest --test-dir $(BUILD) -R '^KillLoop[.]' --output-on-failure

# The unit suite under AddressSanitizer and UndefinedBehaviorSanitizer (the kill
# loop with 50 cycles: `make mp` runs 200 at full speed; the I/O-error sweep
# fails each call in one of its three modes rather than all three).
# -O0 but for the vector kernels (src/CMakeLists.txt): at -O1 the instrumented
# files compile 2-3x slower, more than the faster tests win back.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
	  -DCMAKE_C_FLAGS_DEBUG=-g1 -DNENDB_SANITIZE="address;undefined" $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 NENDB_KILL_CYCLES=50 NENDB_FAULT_STRIDE=3 ctest --test-dir $(ASAN_BUILD) -L unit \
	  --output-on-failure -j$(JOBS)

# Each fuzzer runs on a scratch copy of its checked-in corpus (libFuzzer adds
# what it finds to the corpus it is given); a crash, leak, timeout or
# sanitizer report fails the target and leaves the input under
# $(FUZZ_BUILD)/fuzz/<name>/. Refresh the seeds with
# $(FUZZ_BUILD)/tests/fuzz/make_corpus tests/fuzz/corpus.
fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DNENDB_BUILD_FUZZERS=ON \
	  -DNENDB_BUILD_TESTS=OFF -DNENDB_BUILD_CLI=OFF -DNENDB_INSTALL=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	@set -e; for f in $(FUZZERS); do \
	  run=$(FUZZ_BUILD)/fuzz/$$f; rm -rf $$run; mkdir -p $$run/corpus $$run/artifacts; \
	  cp tests/fuzz/corpus/$$f/* $$run/corpus/; \
	  echo "fuzz: $${f}_fuzzer for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/tests/fuzz/$${f}_fuzzer $$run/corpus -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$$run/artifacts/ 2>$$run/log.txt || \
	    { tail -n 80 $$run/log.txt; echo "fuzz: $${f}_fuzzer failed; see $$run"; exit 1; }; \
	  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::average_exec_per_sec' $$run/log.txt || true; \
	done

python: deps
	$(PYTHON) -m pip install --no-build-isolation --disable-pip-version-check -q .

# The wheel make test installs: the Python module compiled against the library
# and `nendb` tool that `make build` compiled, not a third build of the library.
python-prebuilt: core
	cmake --install $(BUILD) >/dev/null
	$(PYTHON) -m pip install --no-build-isolation --disable-pip-version-check -q \
	  --config-settings=cmake.define.NENDB_PREBUILT=$(abspath $(INSTALL)) \
	  --config-settings=build-dir=$(BUILD)/python-prebuilt .

pytest: python-prebuilt
	$(PYTHON) -m pytest python/tests -q

# The C++ example is a separate project that finds the installed library.
examples: core
	cmake --install $(BUILD) >/dev/null
	cmake -S examples/cpp -B $(BUILD)/examples-cpp -G Ninja -DCMAKE_PREFIX_PATH=$(abspath $(INSTALL))
	cmake --build $(BUILD)/examples-cpp -j$(JOBS)
	rm -rf $(BUILD)/example.nendb
	$(BUILD)/examples-cpp/nendb_example $(BUILD)/example.nendb

test: asan mp pytest examples
	rm -rf $(BUILD)/quickstart.nendb $(BUILD)/processes.nendb $(BUILD)/dataframe.nendb*
	$(PYTHON) examples/python/quickstart.py $(BUILD)/quickstart.nendb
	MPLBACKEND=Agg $(PYTHON) examples/python/dataframe.py $(BUILD)/dataframe.nendb
	$(PYTHON) examples/python/processes.py $(BUILD)/processes.nendb
	$(PYTHON) examples/python/demo.py $(BUILD)/demo.nendb >/dev/null
	@echo "make test: all suites passed"

demo: python
	$(PYTHON) examples/python/demo.py $(BUILD)/demo.nendb

# nendb.errors comes with nendb (it is in nendb.__all__; naming it again makes
# pdoc warn), nendb.plot is named. The docstrings are Google style with reST roles;
# docs/pdoc shows the read API the classes inherit from private modules.
docs: python
	rm -rf $(BUILD)/docs/api
	$(PYTHON) -m pdoc -d google -t docs/pdoc nendb nendb.plot -o $(BUILD)/docs/api

# make bench: every suite side by side with its peers at full size, then the report
# (bench/report.py: algo_bench at Kronecker scales 18, 20, 22 with NetworkX at 18 and
# the uniform and grid graphs at 20, commit_bench, mp_bench, vector_bench and ann_bench at 1M
# vectors, db_bench against Kùzu, frames_bench) in bench/results/<date>-<host>.md
# with its JSON and charts: a few hours on 2 cores. QUICK=1: the report's suites at small
# sizes only (a few minutes). COMPARE=FILE (e.g. bench/results/latest.json): also print
# the figures whose ratio to the best peer moved by more than 20% since that report.
REPORT_ARGS := $(if $(filter 1,$(QUICK)),--quick) $(if $(COMPARE),--compare $(COMPARE))
bench: build python
	@PYTHON=$(PYTHON) .ci/install-deps --bench
	cmake -S . -B $(BUILD) -DNENDB_BUILD_BENCH=ON
	cmake --build $(BUILD) -j$(JOBS)
ifneq ($(QUICK),1)
	$(BUILD)/bench/store_bench --benchmark_counters_tabular=true
	$(BUILD)/bench/recovery_bench --benchmark_counters_tabular=true
	$(PYTHON) bench/bulk_numpy.py
endif
	$(PYTHON) bench/report.py $(REPORT_ARGS)

stress: build
	ctest --test-dir $(BUILD) -L stress --output-on-failure
	$(MAKE) fuzz FUZZ_SECONDS=1800

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
