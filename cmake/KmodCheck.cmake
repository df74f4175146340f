# KmodCheck.cmake -- the `kmod` test: build kmod/tcpstats with -Werror and check the .ko
#
# include(KmodCheck) registers one CTest test, `kmod_build` (labels compile,
# kmod), that runs kmod/check-kmod.sh.  On FreeBSD the script runs the
# module's make; elsewhere it cross-builds with bmake, clang and ld.lld
# through the FreeBSD tree's own bsd.kmod.mk and checks the .ko with
# readelf.  Without a tree it exits 77 and CTest reports the test skipped
# with the reason.
#
# Cache variables (environment variables of the same purpose win at test
# time only when the cache variable is empty):
#   TCPSTATS_FREEBSD_SRC     FreeBSD tree with sys/ and share/mk (FREEBSD_SRC)
#   TCPSTATS_KMOD_CC         compiler for the cross build (default clang)
#   TCPSTATS_KERNEL_SYMS     kernel symbol list: undefined symbols must be in it

include_guard(GLOBAL)

set(TCPSTATS_FREEBSD_SRC "" CACHE PATH
    "FreeBSD source tree (sys/ and share/mk) for the kmod cross build")
set(TCPSTATS_KMOD_CC "" CACHE STRING
    "Compiler for the kmod cross build (empty: clang)")
set(TCPSTATS_KERNEL_SYMS "" CACHE FILEPATH
    "File of kernel symbols, one a line, to check the .ko against")

set(_ts_kmod_script "${PROJECT_SOURCE_DIR}/kmod/check-kmod.sh")

if(NOT EXISTS "${_ts_kmod_script}")
    tcpstats_feature("kmod check" OFF "kmod/check-kmod.sh missing")
    return()
endif()

# Only what the cache sets is passed; the rest comes from the environment
# the test runs in, so `FREEBSD_SRC=... ctest -L kmod` works unconfigured.
set(_ts_kmod_env "")
if(TCPSTATS_FREEBSD_SRC)
    list(APPEND _ts_kmod_env "FREEBSD_SRC=${TCPSTATS_FREEBSD_SRC}")
endif()
if(TCPSTATS_KMOD_CC)
    list(APPEND _ts_kmod_env "TCPSTATS_KMOD_CC=${TCPSTATS_KMOD_CC}")
endif()
if(TCPSTATS_KERNEL_SYMS)
    list(APPEND _ts_kmod_env "TCPSTATS_KERNEL_SYMS=${TCPSTATS_KERNEL_SYMS}")
endif()

add_test(NAME kmod_build
    COMMAND sh "${_ts_kmod_script}" -o "${CMAKE_BINARY_DIR}/kmod-obj")
set_tests_properties(kmod_build PROPERTIES
    LABELS "compile;kmod"
    SKIP_RETURN_CODE 77
    TIMEOUT 600
    ENVIRONMENT "${_ts_kmod_env}")

if(CMAKE_SYSTEM_NAME STREQUAL "FreeBSD")
    tcpstats_feature("kmod check" ON "make in kmod/tcpstats (-Werror)")
elseif(TCPSTATS_FREEBSD_SRC)
    tcpstats_feature("kmod check" ON
        "cross build against ${TCPSTATS_FREEBSD_SRC}")
elseif(DEFINED ENV{FREEBSD_SRC})
    tcpstats_feature("kmod check" ON "cross build against $ENV{FREEBSD_SRC}")
else()
    tcpstats_feature("kmod check" ON
        "registered; skips at test time unless FREEBSD_SRC is set")
endif()
