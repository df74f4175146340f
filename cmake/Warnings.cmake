# Warnings.cmake -- the project's warning flags, as INTERFACE target tcpstats_warnings
#
# Link tcpstats_warnings (PRIVATE) to get them.  Each flag is kept only if
# the compiler accepts it, so gcc and clang on Linux and FreeBSD all work.
# TCPSTATS_WERROR adds -Werror (the ci preset turns it on).

include_guard(GLOBAL)
include(CheckCCompilerFlag)

set(TCPSTATS_WARNING_FLAGS
    -Wall
    -Wextra
    -Wpedantic
    -Wshadow
    -Wstrict-prototypes
    -Wmissing-prototypes
    -Wmissing-declarations
    -Wold-style-definition
    -Wpointer-arith
    -Wcast-qual
    -Wwrite-strings
    -Wundef
    -Wvla
    -Wformat=2
    -Wimplicit-fallthrough
    -Wconversion
    -Wsign-conversion
    -Werror=implicit-function-declaration
    -Werror=incompatible-pointer-types
    -Werror=int-conversion)

add_library(tcpstats_warnings INTERFACE)

set(_ts_accepted "")
foreach(flag IN LISTS TCPSTATS_WARNING_FLAGS)
    string(MAKE_C_IDENTIFIER "TCPSTATS_CC_HAS${flag}" var)
    check_c_compiler_flag("${flag}" ${var})
    if(${var})
        list(APPEND _ts_accepted "${flag}")
    endif()
endforeach()
target_compile_options(tcpstats_warnings INTERFACE
    "$<$<COMPILE_LANGUAGE:C>:${_ts_accepted}>")
if(TCPSTATS_WERROR)
    target_compile_options(tcpstats_warnings INTERFACE
        "$<$<COMPILE_LANGUAGE:C>:-Werror>")
endif()

list(LENGTH _ts_accepted _ts_n)
if(TCPSTATS_WERROR)
    math(EXPR _ts_n "${_ts_n} + 1")
endif()
if(TCPSTATS_WERROR)
    tcpstats_feature("warnings" ON "${_ts_n} flags, -Werror (TCPSTATS_WERROR=ON)")
else()
    tcpstats_feature("warnings" ON "${_ts_n} flags, not fatal (TCPSTATS_WERROR=OFF)")
endif()
