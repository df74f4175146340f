# kmod-tests.nix -- packages running the compile label's parts on a Linux host
#
# kmod-test-<part> configures and builds the tree in ./build-nix and runs
# `ctest -L <label>`: the tests are the CMake ones, defined once. Each is
# nix/scripts/ctest-label.sh with the label fixed.
{ pkgs }:

let
  inherit (pkgs) lib;

  shebang = "#!/usr/bin/env bash\n";
  source = builtins.readFile ./scripts/ctest-label.sh;
  body = assert lib.hasPrefix shebang source; lib.removePrefix shebang source;

  # package suffix -> CTest label
  parts = {
    unit = "unit";
    memcheck = "memcheck";
    asan = "asan";
    ubsan = "ubsan";
    bench = "bench";
    callgrind = "callgrind";
    fuzz = "fuzz";
    all = "compile";
  };

  # What the build finds through CMake and pkg-config.
  libraries = with pkgs; [ criterion fuse3 libmnl libmicrohttpd ];
  tools = with pkgs; [ cmake ninja gcc pkg-config valgrind coreutils ];

  mkPart = suffix: label:
    let name = "kmod-test-${suffix}"; in
    pkgs.writeShellApplication {
      inherit name;
      runtimeInputs = tools;
      text = ''
        # Settings from nix/kmod-tests.nix.
        TCPSTATS_PROG=${lib.escapeShellArg name}
        CMAKE_PREFIX_PATH=${lib.escapeShellArg (lib.concatMapStringsSep ":"
          (p: "${lib.getDev p}:${lib.getLib p}") libraries)}''${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}
        PKG_CONFIG_PATH=${lib.escapeShellArg
          (lib.makeSearchPathOutput "dev" "lib/pkgconfig" libraries)}''${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
        export CMAKE_PREFIX_PATH PKG_CONFIG_PATH
        set -- ${lib.escapeShellArg label}

      '' + body;
      meta = {
        description = "Run the tcpstats '${label}' CTest label on this host";
        mainProgram = name;
      };
    };

  packages = lib.mapAttrs'
    (suffix: label: lib.nameValuePair "kmod-test-${suffix}" (mkPart suffix label))
    parts;
in
{
  inherit packages;
  apps = lib.mapAttrs
    (name: drv: {
      type = "app";
      program = "${drv}/bin/${name}";
      meta.description = drv.meta.description;
    })
    packages;
}
