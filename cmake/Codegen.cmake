# Codegen.cmake -- code generation choices for the whole build
#
# Block copies and clears by a library call.  The read path copies and
# zeroes fixed-size blocks for every socket (a 280-byte record, the parsed
# message, tcp_info); at -O2 GCC inlines them on x86 as `rep movsq' and
# `rep stosq', whose start-up cost on some processors exceeds the copy.
# The C library's memcpy and memset are chosen per processor at run time.
# On tcpstatsd's per-socket path this took bench_visit from 76.5 to 52.9
# ns per message (docs/benchmarks.md).  Compilers without the option
# (clang) do not inline these and need nothing.

include_guard(GLOBAL)
include(CheckCCompilerFlag)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|amd64|AMD64|i[3-6]86)$")
    check_c_compiler_flag(-mstringop-strategy=libcall
        TCPSTATS_CC_HAS_STRINGOP_LIBCALL)
endif()
if(TCPSTATS_CC_HAS_STRINGOP_LIBCALL)
    add_compile_options("$<$<COMPILE_LANGUAGE:C>:-mstringop-strategy=libcall>")
    tcpstats_feature("block copies" ON "library calls (-mstringop-strategy=libcall)")
else()
    tcpstats_feature("block copies" ON "the compiler's default")
endif()
