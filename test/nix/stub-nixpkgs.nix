# stub-nixpkgs.nix -- the part of nixpkgs the flake uses, for offline tests
#
# Builds nothing: writeShellApplication returns an attribute set whose
# `text` is the script the real one would install (shebang, strict mode,
# PATH from runtimeInputs, then the text). openssh and rsync resolve to
# the stand-in tree, so a rendered runner finds the stand-ins first.
{ standins, system ? "x86_64-linux" }:

let
  lib = rec {
    hasPrefix = p: s: builtins.substring 0 (builtins.stringLength p) s == p;
    removePrefix = p: s:
      if hasPrefix p s
      then builtins.substring (builtins.stringLength p)
        (builtins.stringLength s - builtins.stringLength p) s
      else s;
    concatStringsSep = builtins.concatStringsSep;
    concatMapStringsSep = sep: f: l: concatStringsSep sep (map f l);
    escapeShellArg = a:
      "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] (toString a) + "'";
    nameValuePair = name: value: { inherit name value; };
    listToAttrs = builtins.listToAttrs;
    mapAttrs = builtins.mapAttrs;
    mapAttrs' = f: s: listToAttrs
      (map (n: f n s.${n}) (builtins.attrNames s));
    genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);
    optionals = c: l: if c then l else [ ];
    getDev = p: p.dev or p;
    getLib = p: p.lib or p;
    makeSearchPathOutput = out: sub: ps:
      concatMapStringsSep ":" (p: "${p.${out} or p}/${sub}") ps;
    makeBinPath = ps: concatMapStringsSep ":" (p: "${p}/bin") ps;
  };

  # A package that is never built: a path that does not exist.
  stub = name: rec {
    inherit name;
    type = "derivation";
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
    dev = { outPath = "${outPath}-dev"; };
    lib = { outPath = "${outPath}-lib"; };
  };

  standIn = name: { inherit name; type = "derivation"; outPath = standins; };

  isLinux = lib.hasPrefix "x86_64-linux" system || lib.hasPrefix "aarch64-linux" system;
in
{
  inherit lib;

  stdenv = { inherit isLinux; isDarwin = !isLinux; };

  runtimeShell = "/usr/bin/env bash";

  writeShellApplication = { name, text, runtimeInputs ? [ ], meta ? { }, ... }: {
    inherit name meta runtimeInputs;
    type = "derivation";
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
    text = ''
      #!/usr/bin/env bash
      set -o errexit
      set -o nounset
      set -o pipefail

      export PATH="${lib.makeBinPath runtimeInputs}:$PATH"

    '' + text;
  };

  writeShellScriptBin = name: text: {
    inherit name;
    type = "derivation";
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
    text = "#!/usr/bin/env bash\n" + text;
  };

  symlinkJoin = { name, paths, ... }: stub name // { inherit paths; };

  mkShell = { packages ? [ ], ... }: stub "shell" // { inherit packages; };

  openssh = standIn "openssh";
  rsync = standIn "rsync";
} // lib.genAttrs [
  "actionlint" "bmake" "bpftrace" "clang" "cmake" "coreutils" "criterion"
  "fuse3" "gcc" "libmicrohttpd" "libmnl" "mandoc" "ninja" "pkg-config"
  "shellcheck" "valgrind"
] stub
