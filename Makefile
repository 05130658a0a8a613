# nendb: the two commands of the quick start are `make demo` and `make test`.
# Every target installs what is missing first (.ci/install-deps).
#
#   make demo      build the wheel and run the demo on the bundled datasets
#   make test      C++ unit suite, the same under ASan+UBSan, the Python suite,
#                  the C++ example against the installed library
#   make bench     benchmarks (Google Benchmark), figures printed
#   make stress    long-running reliability tests
#   make format    clang-format the C++ sources

PYTHON ?= python3
JOBS ?= 2
CMAKE_FLAGS ?=
export CMAKE_BUILD_PARALLEL_LEVEL := $(JOBS)

BUILD := build
ASAN_BUILD := build-asan
INSTALL := $(BUILD)/install

.PHONY: all deps build unit asan python pytest examples test demo bench stress format clean

all: build

deps:
	@PYTHON=$(PYTHON) .ci/install-deps

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNENDB_BUILD_BENCH=ON \
	  -DCMAKE_INSTALL_PREFIX=$(abspath $(INSTALL)) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

unit: build
	ctest --test-dir $(BUILD) -L unit --output-on-failure -j$(JOBS)

# The unit suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DNENDB_SANITIZE="address;undefined" $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(ASAN_BUILD) -L unit --output-on-failure -j$(JOBS)

python: deps
	$(PYTHON) -m pip install --no-build-isolation --disable-pip-version-check -q .

pytest: python
	$(PYTHON) -m pytest python/tests -q

# The C++ example is a separate project that finds the installed library.
examples: build
	cmake --install $(BUILD) >/dev/null
	cmake -S examples/cpp -B $(BUILD)/examples-cpp -G Ninja -DCMAKE_PREFIX_PATH=$(abspath $(INSTALL))
	cmake --build $(BUILD)/examples-cpp -j$(JOBS)
	rm -rf $(BUILD)/example.nendb
	$(BUILD)/examples-cpp/nendb_example $(BUILD)/example.nendb

test: unit asan pytest examples
	rm -rf $(BUILD)/quickstart.nendb
	$(PYTHON) examples/python/quickstart.py $(BUILD)/quickstart.nendb
	@echo "make test: all suites passed"

demo: python
	$(PYTHON) examples/python/demo.py $(BUILD)/demo.nendb

bench: build python
	$(BUILD)/bench/store_bench --benchmark_counters_tabular=true
	$(PYTHON) bench/bulk_numpy.py

stress: build
	ctest --test-dir $(BUILD) -L stress --output-on-failure

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
