# check_freestanding.cmake -- compile each src/core/*.c freestanding and vet its symbols
#
#   cmake -D CC=<compiler> -D NM=<nm> -D CC_INCLUDE_DIR=<dir>
#         -D SOURCE_DIR=<project> -D OUT_DIR=<scratch> [-D EXTRA_FLAGS=...]
#         -P check_freestanding.cmake
# Fails if a file does not compile without the C library's headers, or if
# an object needs a symbol that is neither defined by the core nor one of
# the C library functions a kernel provides.  See cmake/Freestanding.cmake.

cmake_minimum_required(VERSION 3.25)

foreach(var CC NM CC_INCLUDE_DIR SOURCE_DIR OUT_DIR)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "check_freestanding.cmake: -D ${var}=... missing")
    endif()
endforeach()

# What a kernel offers the core, plus what compilers emit on their own.
set(allowed memcpy memset memcmp memmove strlen strcmp strncmp
    __stack_chk_fail __stack_chk_guard)

file(GLOB sources "${SOURCE_DIR}/src/core/*.c")
list(SORT sources)
if(NOT sources)
    message(FATAL_ERROR "freestanding: no sources in ${SOURCE_DIR}/src/core")
endif()
file(MAKE_DIRECTORY "${OUT_DIR}")

set(failed "")
set(objects "")
foreach(src IN LISTS sources)
    get_filename_component(stem "${src}" NAME_WE)
    set(obj "${OUT_DIR}/${stem}.o")
    execute_process(
        COMMAND "${CC}" -std=c11 -ffreestanding -nostdinc
            -isystem "${CC_INCLUDE_DIR}" -DTCPSTATS_FREESTANDING
            "-I${SOURCE_DIR}/src/include" "-I${SOURCE_DIR}/src/core"
            -Werror=implicit-function-declaration ${EXTRA_FLAGS}
            -c "${src}" -o "${obj}"
        RESULT_VARIABLE rc
        OUTPUT_VARIABLE out
        ERROR_VARIABLE out)
    if(rc EQUAL 0)
        message(STATUS "freestanding: ${stem}.c compiles")
        list(APPEND objects "${obj}")
    else()
        message(STATUS "freestanding: ${stem}.c FAILED:\n${out}")
        list(APPEND failed "${stem}.c")
    endif()
endforeach()
if(failed)
    message(FATAL_ERROR "freestanding: does not compile without libc: "
        "${failed}")
endif()

# Symbols the core defines itself.
execute_process(COMMAND "${NM}" -g --defined-only ${objects}
    RESULT_VARIABLE rc OUTPUT_VARIABLE defined_out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "freestanding: ${NM} failed: ${err}")
endif()
string(REGEX MATCHALL "[^\n]+ [A-Za-z] [^\n]+" rows "${defined_out}")
foreach(row IN LISTS rows)
    if(row MATCHES " [A-Za-z] ([^ ]+)$")
        list(APPEND allowed "${CMAKE_MATCH_1}")
    endif()
endforeach()

set(bad "")
foreach(obj IN LISTS objects)
    execute_process(COMMAND "${NM}" -u "${obj}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE undef ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "freestanding: ${NM} -u ${obj} failed: ${err}")
    endif()
    string(REGEX MATCHALL "U [^\n]+" rows "${undef}")
    foreach(row IN LISTS rows)
        string(REGEX REPLACE "^U " "" sym "${row}")
        if(NOT sym IN_LIST allowed)
            get_filename_component(name "${obj}" NAME_WE)
            list(APPEND bad "${name}.c: ${sym}")
        endif()
    endforeach()
endforeach()
if(bad)
    string(REPLACE ";" "\n  " bad "${bad}")
    message(FATAL_ERROR "freestanding: the core calls what a kernel does not "
        "have:\n  ${bad}")
endif()
list(LENGTH objects n)
message(STATUS "freestanding: ${n} files compile and use only kernel symbols")
