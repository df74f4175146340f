# Freestanding.cmake -- check that src/core compiles as kernel code would
#
# Target `freestanding` and CTest test `freestanding` (label compile)
# compile every src/core/*.c on its own with
#   -std=c11 -ffreestanding -nostdinc -isystem <compiler's own headers>
#   -DTCPSTATS_FREESTANDING -Isrc/include -Werror=implicit-function-declaration
# so only the compiler's headers (stddef.h, stdint.h, stdbool.h...) exist,
# as in a kernel build; src/core/ts_compat.h supplies the rest.  Where the
# compiler supports it, -mgeneral-regs-only turns any floating point into an
# error.  Then every object's undefined symbols must be core symbols or one
# of the few C library functions a kernel has (memcpy, memset, memcmp,
# memmove, strlen, strcmp, strncmp); a call to malloc, printf or a
# soft-float helper fails the check.  The source list is globbed when the
# check runs, so a new file is covered without reconfiguring.

include_guard(GLOBAL)

set(_TCPSTATS_FREESTANDING_SCRIPT
    "${CMAKE_CURRENT_LIST_DIR}/scripts/check_freestanding.cmake")

# The directory holding the compiler's own freestanding headers.
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    execute_process(COMMAND "${CMAKE_C_COMPILER}" -print-resource-dir
        OUTPUT_VARIABLE _ts_res OUTPUT_STRIP_TRAILING_WHITESPACE
        RESULT_VARIABLE _ts_rc)
    set(TCPSTATS_CC_INCLUDE_DIR "${_ts_res}/include")
else()
    execute_process(COMMAND "${CMAKE_C_COMPILER}" -print-file-name=include
        OUTPUT_VARIABLE TCPSTATS_CC_INCLUDE_DIR
        OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _ts_rc)
endif()

set(_ts_fs_flags "")
include(CheckCCompilerFlag)
check_c_compiler_flag(-mgeneral-regs-only TCPSTATS_CC_HAS_GENERAL_REGS_ONLY)
if(TCPSTATS_CC_HAS_GENERAL_REGS_ONLY)
    list(APPEND _ts_fs_flags -mgeneral-regs-only)
endif()

if(NOT _ts_rc EQUAL 0 OR NOT EXISTS "${TCPSTATS_CC_INCLUDE_DIR}/stddef.h")
    tcpstats_feature("freestanding check" OFF
        "no compiler header directory found (${TCPSTATS_CC_INCLUDE_DIR})")
    if(TCPSTATS_BUILD_TESTS)
        tcpstats_add_skipped_test(freestanding LABELS compile
            REASON "the compiler's own header directory was not found")
    endif()
    return()
endif()

set(_ts_fs_command "${CMAKE_COMMAND}"
    -D "CC=${CMAKE_C_COMPILER}"
    -D "NM=${CMAKE_NM}"
    -D "CC_INCLUDE_DIR=${TCPSTATS_CC_INCLUDE_DIR}"
    -D "SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    -D "OUT_DIR=${PROJECT_BINARY_DIR}/freestanding"
    -D "EXTRA_FLAGS=${_ts_fs_flags}"
    -P "${_TCPSTATS_FREESTANDING_SCRIPT}")

add_custom_target(freestanding
    COMMAND ${_ts_fs_command}
    COMMENT "Compiling src/core freestanding"
    VERBATIM)

if(TCPSTATS_BUILD_TESTS)
    add_test(NAME freestanding COMMAND ${_ts_fs_command})
    set_tests_properties(freestanding PROPERTIES LABELS compile)
endif()

tcpstats_feature("freestanding check" ON
    "-ffreestanding -nostdinc ${_ts_fs_flags} + symbol check")
