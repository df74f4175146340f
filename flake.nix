# flake.nix -- tcpstats: FreeBSD VM runner, local test packages, dev shell
#
#   nix run .#integration-test-freebsd            every VM, in parallel
#   nix run .#integration-test-freebsd150 -- A,D  one VM, categories A and D
#   nix run .#kmod-test-unit                      unit label on this host
#   nix develop                                   build and test tools
#
# docs/nix-runner.md describes every app and variable.
{
  description = "tcpstats: every TCP connection of a host, filtered, as binary records";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { nixpkgs, ... }:
    let
      inherit (nixpkgs) lib;

      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      runner = pkgs: import ./nix/freebsd-integration.nix { inherit pkgs; };

      # The local packages build the Linux provider, so Linux only.
      local = pkgs:
        if pkgs.stdenv.isLinux
        then import ./nix/kmod-tests.nix { inherit pkgs; }
        else { packages = { }; apps = { }; };
    in
    {
      packages = forAllSystems (pkgs: (runner pkgs).packages // (local pkgs).packages);
      apps = forAllSystems (pkgs: (runner pkgs).apps // (local pkgs).apps);
      devShells = forAllSystems (pkgs: {
        default = import ./nix/devshell.nix { inherit pkgs; };
      });
    };
}
