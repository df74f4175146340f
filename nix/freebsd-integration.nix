# freebsd-integration.nix -- apps that run the CTest suite on FreeBSD VMs
#
# integration-test-freebsd drives every VM of constants.nix in parallel;
# integration-test-<vm> drives one. Each is nix/scripts/freebsd-integration.sh
# with the constants written in front of it as shell defaults, so the logic
# has one definition that runs the same with or without Nix.
{ pkgs, constants ? import ./constants.nix }:

let
  inherit (pkgs) lib;

  shebang = "#!/usr/bin/env bash\n";
  source = builtins.readFile ./scripts/freebsd-integration.sh;
  body = assert lib.hasPrefix shebang source; lib.removePrefix shebang source;

  vmEntry = vm: "${vm.name},${vm.host},${vm.release}";
  q = lib.escapeShellArg;

  # The first block is fixed per app; the second holds defaults the
  # environment may override.
  preamble = name: vms: ''
    # Settings from nix/constants.nix.
    TCPSTATS_PROG=${q name}
    TCPSTATS_VMS=${q (lib.concatMapStringsSep " " vmEntry vms)}
    TCPSTATS_DEFAULT_TARGET=${q constants.defaultTarget}
    TCPSTATS_DEFAULT_DIR=${q constants.remoteDir}
    TCPSTATS_BUILD_DIR=${q constants.buildDir}
    TCPSTATS_BOOTSTRAP=${q (lib.concatStringsSep " " constants.bootstrapPackages)}
    TCPSTATS_DEVICE=${q constants.device}
    : "''${TCPSTATS_CONNECT_TIMEOUT:=${toString constants.timeouts.connect}}"
    : "''${TCPSTATS_STEP_TIMEOUT:=${toString constants.timeouts.step}}"
    : "''${TCPSTATS_TEST_TIMEOUT:=${toString constants.timeouts.test}}"
    : "''${TCPSTATS_FD_LIMIT:=${toString constants.fdLimit}}"

  '';

  mkRunner = name: vms: description:
    pkgs.writeShellApplication {
      inherit name;
      runtimeInputs = [ pkgs.openssh pkgs.rsync pkgs.coreutils ];
      text = preamble name vms + body;
      meta = { inherit description; mainProgram = name; };
    };

  runners = {
    integration-test-freebsd = mkRunner "integration-test-freebsd"
      constants.vms
      "Run the tcpstats CTest suite on every FreeBSD VM in parallel";
  } // lib.listToAttrs (map
    (vm: lib.nameValuePair "integration-test-${vm.name}"
      (mkRunner "integration-test-${vm.name}" [ vm ]
        "Run the tcpstats CTest suite on ${vm.name} (FreeBSD ${vm.release})"))
    constants.vms);
in
{
  packages = runners;
  apps = lib.mapAttrs
    (name: drv: {
      type = "app";
      program = "${drv}/bin/${name}";
      meta.description = drv.meta.description;
    })
    runners;
}
