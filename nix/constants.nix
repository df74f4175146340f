# constants.nix -- the FreeBSD VMs the runner drives and the limits it keeps
#
# Host names are resolved by the user's ssh configuration (~/.ssh/config):
# nothing here is an address. A VM's name is also the directory its results
# land in (./test-output/<name>/) and the suffix of its app
# (integration-test-<name>).
{
  vms = [
    { name = "freebsd150"; host = "freebsd150"; release = "15.0"; }
    { name = "freebsd144"; host = "freebsd144"; release = "14.4"; }
    { name = "freebsd143"; host = "freebsd143"; release = "14.3"; }
  ];

  # Where the tree is copied on each VM; FREEBSD_DIR overrides it.
  remoteDir = "/root/tcpstats";

  # Build directory, relative to remoteDir; rsync never touches it.
  buildDir = "build";

  # What INTEGRATION_TARGET means when it is unset.
  defaultTarget = "live_integration";

  # Commands the runner needs on a VM before the set-up script can run;
  # each is also the name of the FreeBSD package that provides it.
  bootstrapPackages = [ "rsync" "cmake" "ninja" ];

  # Open-file limit raised on the VM for live runs (live_bench opens 100K
  # connections, two descriptors each with the loopback peer).
  fdLimit = 262144;

  # Device the live tests read (TCPSTATS_DEV on the VM).
  device = "/dev/tcpstats";

  timeouts = {
    connect = 10;   # seconds: ssh ConnectTimeout for every connection
    step = 3600;    # seconds: bound on one remote step (set-up, build, ctest)
    test = 1800;    # seconds: ctest --timeout, per test
  };
}
