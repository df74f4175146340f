# devshell.nix -- `nix develop`: the build, test and runner dependencies
{ pkgs }:

let
  inherit (pkgs) lib stdenv;
in
pkgs.mkShell {
  packages = with pkgs; [
    cmake
    ninja
    pkg-config
    criterion
    clang
    bmake
    mandoc
    shellcheck
    actionlint
    openssh
    rsync
  ] ++ lib.optionals stdenv.isLinux [
    gcc
    fuse3
    libmnl
    libmicrohttpd
    valgrind
    bpftrace
  ];
}
