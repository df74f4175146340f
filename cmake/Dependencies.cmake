# Dependencies.cmake -- find the system libraries (pkg-config) and tools the build uses
#
# Each library is looked up only when a feature that needs it is on:
#   criterion      TCPSTATS_BUILD_TESTS      tests, bench helpers
#   fuse3, libmnl  TCPSTATS_BUILD_DAEMON     tcpstatsd (Linux only)
#   libmicrohttpd  TCPSTATS_BUILD_EXPORTER   tcpstats-exporter
# A missing one stops configure with one line naming the package and the
# set-up command.  Results for subdirectories:
#   TCPSTATS_HAVE_<CRITERION|FUSE3|LIBMNL|MICROHTTPD>   ON/OFF
#   PkgConfig::criterion, PkgConfig::fuse3, PkgConfig::libmnl,
#   PkgConfig::libmicrohttpd                              imported targets
#   TCPSTATS_VALGRIND, TCPSTATS_CLANG   programs, or *-NOTFOUND

include_guard(GLOBAL)

set(TCPSTATS_SETUP_HINT "install it with: cmake -P cmake/setup.cmake")

find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
    message(FATAL_ERROR "tcpstats: pkg-config not found (Debian: pkg-config, "
        "FreeBSD: devel/pkgconf); ${TCPSTATS_SETUP_HINT}")
endif()

# _tcpstats_require(<module> <VAR> <debian pkg> <freebsd pkg> <option>)
# Finds <module> with pkg-config; if it is missing and <option> is on, stops
# configure in one line.
macro(_tcpstats_require module var deb fbsd option)
    pkg_check_modules(_ts_${var} QUIET IMPORTED_TARGET GLOBAL ${module})
    if(_ts_${var}_FOUND)
        set(TCPSTATS_HAVE_${var} ON)
        if(NOT TARGET PkgConfig::${module})
            add_library(PkgConfig::${module} ALIAS PkgConfig::_ts_${var})
        endif()
        tcpstats_feature("${module}" ON
            "${_ts_${var}_VERSION} (pkg-config)")
    else()
        set(TCPSTATS_HAVE_${var} OFF)
        if(${option})
            message(FATAL_ERROR "tcpstats: ${module} not found (Debian: ${deb}"
                ", FreeBSD: ${fbsd}); ${TCPSTATS_SETUP_HINT}, or configure "
                "with -D${option}=OFF")
        endif()
        tcpstats_feature("${module}" OFF "not needed (${option}=OFF)")
    endif()
endmacro()

if(TCPSTATS_BUILD_TESTS)
    _tcpstats_require(criterion CRITERION libcriterion-dev devel/criterion
        TCPSTATS_BUILD_TESTS)
else()
    set(TCPSTATS_HAVE_CRITERION OFF)
endif()

if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND TCPSTATS_BUILD_DAEMON)
    _tcpstats_require(fuse3 FUSE3 libfuse3-dev "not used" TCPSTATS_BUILD_DAEMON)
    _tcpstats_require(libmnl LIBMNL libmnl-dev "not used" TCPSTATS_BUILD_DAEMON)
else()
    set(TCPSTATS_HAVE_FUSE3 OFF)
    set(TCPSTATS_HAVE_LIBMNL OFF)
endif()

if(TCPSTATS_BUILD_EXPORTER)
    _tcpstats_require(libmicrohttpd MICROHTTPD libmicrohttpd-dev
        www/libmicrohttpd TCPSTATS_BUILD_EXPORTER)
else()
    set(TCPSTATS_HAVE_MICROHTTPD OFF)
endif()

# Optional programs: their tests skip, with the reason, when absent.
find_program(TCPSTATS_VALGRIND valgrind)
find_program(TCPSTATS_CLANG NAMES clang clang-19 clang-18 clang-17 clang-16
    clang-15 clang-14)
