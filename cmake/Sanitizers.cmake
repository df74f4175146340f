# Sanitizers.cmake -- ASan/UBSan flags: per-target variants and the whole-build switch
#
# tcpstats_target_sanitize(<target> <asan|ubsan>) compiles and links one
# target with a sanitizer set, no recovery (the first report aborts):
#   asan   -fsanitize=address,undefined
#   ubsan  -fsanitize=undefined
# TCPSTATS_HAVE_ASAN / TCPSTATS_HAVE_UBSAN say whether the compiler and its
# runtime can build and link them.  TCPSTATS_SANITIZE (cache, e.g.
# "address,undefined") instruments the whole build instead; the asan preset
# uses it.  Valgrind cannot run sanitized binaries, so modules that use
# Valgrind look at TCPSTATS_SANITIZE and step aside.

include_guard(GLOBAL)
include(CheckCSourceCompiles)

set(TCPSTATS_ASAN_FLAGS
    -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
set(TCPSTATS_UBSAN_FLAGS
    -fsanitize=undefined -fno-sanitize-recover=all)

function(_tcpstats_check_sanitizer kind var)
    set(CMAKE_REQUIRED_FLAGS "${ARGN}")
    set(CMAKE_REQUIRED_LINK_OPTIONS ${ARGN})
    set(CMAKE_REQUIRED_QUIET ON)
    string(REPLACE ";" " " CMAKE_REQUIRED_FLAGS "${CMAKE_REQUIRED_FLAGS}")
    check_c_source_compiles("int main(void) { return (0); }" ${var})
    set(${var} "${${var}}" PARENT_SCOPE)
endfunction()

_tcpstats_check_sanitizer(asan TCPSTATS_HAVE_ASAN ${TCPSTATS_ASAN_FLAGS})
_tcpstats_check_sanitizer(ubsan TCPSTATS_HAVE_UBSAN ${TCPSTATS_UBSAN_FLAGS})

function(tcpstats_target_sanitize target kind)
    if(kind STREQUAL "asan")
        set(flags ${TCPSTATS_ASAN_FLAGS})
    elseif(kind STREQUAL "ubsan")
        set(flags ${TCPSTATS_UBSAN_FLAGS})
    else()
        message(FATAL_ERROR "tcpstats_target_sanitize: unknown kind '${kind}'"
            " (expected asan or ubsan)")
    endif()
    target_compile_options(${target} PRIVATE ${flags})
    target_link_options(${target} PRIVATE ${flags})
endfunction()

# The environment a sanitized test runs with: abort on the first report,
# leaks included, so Criterion sees the test crash.
set(TCPSTATS_SANITIZER_ENV
    "ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:halt_on_error=1"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
# Criterion ignores a child's exit status once the test body returned, so a
# report printed at exit (LeakSanitizer) must fail the test through its text.
set(TCPSTATS_SANITIZER_FAIL_REGEX
    "ERROR: AddressSanitizer;ERROR: LeakSanitizer;runtime error: ")

if(TCPSTATS_SANITIZE)
    set(_ts_flags -fsanitize=${TCPSTATS_SANITIZE} -fno-sanitize-recover=all
        -fno-omit-frame-pointer)
    add_compile_options(${_ts_flags})
    add_link_options(${_ts_flags})
    tcpstats_feature("whole-build sanitizer" ON
        "-fsanitize=${TCPSTATS_SANITIZE} (TCPSTATS_SANITIZE)")
else()
    tcpstats_feature("whole-build sanitizer" OFF
        "TCPSTATS_SANITIZE is empty (the asan preset sets it)")
endif()
