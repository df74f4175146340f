# Fuzz.cmake -- build test/fuzz/fuzz_filter.c with clang's libFuzzer and run it under CTest
#
# The fuzzer is compiled by clang whatever CMAKE_C_COMPILER is (gcc has no
# libFuzzer), so it is a custom command rather than a target of this
# build's compiler:
#   clang -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
#         test/fuzz/fuzz_filter.c src/core/*.c -o fuzz_filter
# CTest test `fuzz` (labels compile, fuzz) runs it over the committed seed
# corpus test/fuzz/corpus/ for a bounded number of executions
# (TCPSTATS_FUZZ_RUNS, default 200000); new inputs go to the build tree,
# never to the source tree.  A long run:
#   build/test/fuzz/fuzz_filter -runs=10000000 build/test/fuzz/corpus \
#       test/fuzz/corpus
# Skipped, with the reason, when clang or its libFuzzer runtime is missing.

include_guard(GLOBAL)

set(TCPSTATS_FUZZ_RUNS 200000 CACHE STRING
    "Executions of the fuzz test under CTest")

function(_tcpstats_probe_libfuzzer out)
    set(dir "${PROJECT_BINARY_DIR}/CMakeFiles/tcpstats_fuzz_probe")
    file(MAKE_DIRECTORY "${dir}")
    file(WRITE "${dir}/probe.c"
        "#include <stddef.h>\n#include <stdint.h>\n"
        "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\n"
        "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)\n"
        "{ (void)d; (void)n; return (0); }\n")
    execute_process(
        COMMAND "${TCPSTATS_CLANG}" -fsanitize=fuzzer,address,undefined
            "${dir}/probe.c" -o "${dir}/probe"
        RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(rc EQUAL 0)
        set(${out} "" PARENT_SCOPE)
    else()
        string(REGEX REPLACE "\n.*" "" err "${err}")
        set(${out} "${TCPSTATS_CLANG} cannot link -fsanitize=fuzzer: ${err}"
            PARENT_SCOPE)
    endif()
endfunction()

# Decide once, at include time.
set(TCPSTATS_FUZZ_REASON "")
if(NOT TCPSTATS_FUZZ)
    set(TCPSTATS_FUZZ_REASON "TCPSTATS_FUZZ=OFF")
elseif(NOT EXISTS "${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_filter.c")
    set(TCPSTATS_FUZZ_REASON "test/fuzz/fuzz_filter.c is missing")
elseif(NOT TCPSTATS_CLANG)
    set(TCPSTATS_FUZZ_REASON "clang not found; install it with: cmake -P cmake/setup.cmake")
elseif(NOT TCPSTATS_HAVE_CORE)
    set(TCPSTATS_FUZZ_REASON "src/core has no sources")
else()
    _tcpstats_probe_libfuzzer(TCPSTATS_FUZZ_REASON)
endif()

# tcpstats_add_fuzz_test(): target fuzz_filter and CTest test fuzz.
function(tcpstats_add_fuzz_test)
    if(TCPSTATS_FUZZ_REASON)
        tcpstats_add_skipped_test(fuzz LABELS compile fuzz
            REASON "${TCPSTATS_FUZZ_REASON}")
        tcpstats_feature("fuzz" OFF "${TCPSTATS_FUZZ_REASON}")
        return()
    endif()

    set(src "${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_filter.c")
    set(bin "${CMAKE_CURRENT_BINARY_DIR}/fuzz/fuzz_filter")
    file(MAKE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/fuzz")
    file(GLOB headers CONFIGURE_DEPENDS
        "${PROJECT_SOURCE_DIR}/src/include/*.h"
        "${PROJECT_SOURCE_DIR}/src/core/*.h")
    add_custom_command(OUTPUT "${bin}"
        COMMAND "${TCPSTATS_CLANG}" -std=c11 -g -O1
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
            -fno-omit-frame-pointer
            "-I${PROJECT_SOURCE_DIR}/src/include"
            "-I${PROJECT_SOURCE_DIR}/src/core"
            "${src}" ${TCPSTATS_CORE_SOURCES} -o "${bin}"
        DEPENDS "${src}" ${TCPSTATS_CORE_SOURCES} ${headers}
        COMMENT "Building fuzz_filter with ${TCPSTATS_CLANG} and libFuzzer"
        VERBATIM)
    add_custom_target(fuzz_filter ALL DEPENDS "${bin}")

    set(scratch "${CMAKE_CURRENT_BINARY_DIR}/fuzz/corpus")
    file(MAKE_DIRECTORY "${scratch}")
    add_test(NAME fuzz
        COMMAND "${bin}" -runs=${TCPSTATS_FUZZ_RUNS} -seed=1 -max_len=640
            -max_total_time=600 -print_final_stats=1
            "${scratch}" "${PROJECT_SOURCE_DIR}/test/fuzz/corpus")
    set_tests_properties(fuzz PROPERTIES
        LABELS "compile;fuzz"
        ENVIRONMENT "${TCPSTATS_SANITIZER_ENV}"
        TIMEOUT 900)
    tcpstats_feature("fuzz" ON
        "${TCPSTATS_CLANG} + libFuzzer, ${TCPSTATS_FUZZ_RUNS} runs under CTest")
endfunction()
