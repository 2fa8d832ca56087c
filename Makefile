# Conflux — the user's entry points.
#
#   make run    install missing dependencies, build, start Conflux on embedded defaults
#   make test   install missing dependencies, build, run the whole test suite (ctest)
#   make bench  build a Release tree in build-bench and run the benchmarks
#               (results: docs/performance.md)
#
# Variables: BUILD_DIR (build), BENCH_BUILD (build-bench), BUILD_TYPE (RelWithDebInfo), JOBS (CPU count),
#            CONFIG (a TOML file for `make run`), CTEST_ARGS (extra ctest flags).

BUILD_DIR  ?= build
BENCH_BUILD ?= build-bench
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CONFIG     ?=
CTEST_ARGS ?=

# Exactly the Debian (bookworm) packages the build, the tests and the
# benchmarks need.
DEPS := cmake ninja-build ccache g++ pkg-config ca-certificates openssl \
        libboost1.74-dev libfmt-dev libspdlog-dev libtomlplusplus-dev libcli11-dev \
        nlohmann-json3-dev libssl-dev liblmdb-dev libhowardhinnant-date-dev tzdata \
        googletest libgtest-dev libgmock-dev libbenchmark-dev wrk python3 \
        libsodium-dev libjemalloc-dev liblua5.4-dev libpaho-mqtt-dev mosquitto mosquitto-clients mosquitto-dev libmosquitto-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build run test bench format clean

all: build

# Fast no-op when everything is installed: one dpkg-query, no apt-get.
deps:
	@missing=$$(dpkg-query -W -f='$${db:Status-Status} $${Package}\n' $(DEPS) 2>/dev/null \
	    | awk '$$1 == "installed" { print $$2 }' | sort > /tmp/conflux-deps.$$$$; \
	  for p in $(DEPS); do grep -qx "$$p" /tmp/conflux-deps.$$$$ || printf '%s ' "$$p"; done; \
	  rm -f /tmp/conflux-deps.$$$$); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Also starts a local Mosquitto with the Conflux auth plugin (MQTT_PORT, default
# 1883) unless CONFLUX_MQTT_BROKER names a broker; it stops when Conflux exits.
run: build
	plugins/mqtt/mosquitto/with-local-broker.sh $(BUILD_DIR) ./$(BUILD_DIR)/conflux serve $(if $(CONFIG),--config $(CONFIG))

test: build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target benchmarks
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

bench: deps
	cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONFLUX_BUILD_TESTS=OFF -DCONFLUX_BUILD_BENCH=ON
	cmake --build $(BENCH_BUILD) -j $(JOBS)
	bench/run.sh $(BENCH_BUILD)
	bench/pipeline/run.sh $(BENCH_BUILD)
	bench/accounts/run.sh $(BENCH_BUILD)
	bench/mqtt/run.sh $(BENCH_BUILD)
	bench/http_ingest/run.sh $(BENCH_BUILD)

format:
	find core sdk plugins tests bench -name '*.h' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
