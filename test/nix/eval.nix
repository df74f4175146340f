# eval.nix -- evaluate flake.nix against the stub nixpkgs; what the tests read
{ root, standins, system ? "x86_64-linux" }:

let
  flake = import (root + "/flake.nix");
  stubFor = s: import ./stub-nixpkgs.nix { inherit standins; system = s; };
  nixpkgs = {
    lib = (stubFor system).lib;
    legacyPackages = (stubFor system).lib.genAttrs
      [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ] stubFor;
  };
  out = flake.outputs { self = out; inherit nixpkgs; };
  names = set: builtins.attrNames set;
in
{
  systems = names out.packages;
  packages = names out.packages.${system};
  apps = builtins.mapAttrs (n: a: { inherit (a) type program; }) out.apps.${system};
  texts = builtins.mapAttrs (n: p: p.text) out.packages.${system};
  devShell = map (p: p.name) out.devShells.${system}.default.packages;
  constants = import (root + "/nix/constants.nix");
}
