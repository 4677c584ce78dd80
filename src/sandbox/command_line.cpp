// Builds the bubblewrap command line. Each flag's reason is beside it: the sandbox sees
// a read-only /usr and nothing else of the host's files, no network, no other process.
#include "sandbox/command_line.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>

namespace qdrift::sandbox {

namespace {

// /bin, /lib and /lib64 are symlinks into /usr on a merged-/usr system (every new Debian
// 12): recreate the link. On an older layout they are real directories: bind them read-only.
void add_top_level_dir(std::vector<std::string>& args, const std::string& path) {
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0) return;
  if (S_ISLNK(info.st_mode)) {
    std::array<char, 4096> target{};
    ssize_t n = readlink(path.c_str(), target.data(), target.size() - 1);
    if (n <= 0) return;
    args.insert(args.end(), {"--symlink", std::string(target.data(), static_cast<std::size_t>(n)), path});
  } else if (S_ISDIR(info.st_mode)) {
    args.insert(args.end(), {"--ro-bind", path, path});
  }
}

}  // namespace

std::vector<std::string> hardened_bwrap_prefix(const std::string& bwrap_path) {
  // One flag (and its arguments) per line, each with its reason.
  // clang-format off
  std::vector<std::string> args = {
      bwrap_path,
      "--unshare-all",     // new user, pid, net, ipc, uts and cgroup namespaces: no network at all
      "--unshare-user",    // required, not "try": the uid map and --disable-userns need it
      "--disable-userns",  // no nested user namespaces, so no way to regain capabilities inside
      "--uid", "65534", "--gid", "65534",  // "nobody" inside, whatever uid runs bwrap
      "--die-with-parent",  // SIGKILL the sandbox if bwrap or qdrift dies
      "--info-fd", "5",     // tells us the pid of the sandbox's init, which the timeout kills
      "--new-session",      // setsid(): no controlling terminal to inject keystrokes into
      // The program itself is the namespace's init, a direct child of bwrap, which reaps it. With
      // bwrap's own init in between, bwrap exits on that init's word before reaping it, the
      // init is orphaned to the host's PID 1, and its zombie counts against RLIMIT_NPROC
      // until PID 1 collects it (seconds, on this machine). Anything the program leaves
      // running dies with it, as the whole namespace does.
      "--as-pid-1",
      "--cap-drop", "ALL",  // no capabilities, even inside the namespaces
      "--hostname", "sandbox",
      "--ro-bind", "/usr", "/usr",  // the interpreters and tools, read-only
  };
  for (const char* dir : {"/bin", "/lib", "/lib64"}) add_top_level_dir(args, dir);
  args.insert(args.end(), {
      "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",  // the loader's index of /usr/lib
      "--proc", "/proc",  // a procfs of the new pid namespace: shows the sandbox's processes only
      "--dev", "/dev",    // null, zero, random, urandom, tty: no host devices
  });
  // clang-format on
  return args;
}

std::vector<std::string> bwrap_command(const SandboxOptions& options, bool nproc_inside) {
  std::vector<std::string> args = hardened_bwrap_prefix(options.bwrap_path);
  // clang-format off
  args.insert(args.end(), {
      // The only writable place, and capped: files there live in memory.
      "--size", std::to_string(options.limits.tmpfs_bytes), "--tmpfs", "/tmp",
      "--ro-bind-data", "3", kProgramPath,  // the program, copied from fd 3
      // bwrap's own root and /dev are tmpfs too, writable and unbounded: freeze them.
      "--remount-ro", "/dev",
      "--remount-ro", "/",
      "--chdir", "/tmp",
      "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
      "--setenv", "LANG", "C.UTF-8",
      "--",
  });
  // -I: ignore PYTHON* variables and user site-packages; -B: no .pyc writes.
  if (nproc_inside) {
    const std::string limit = std::to_string(options.limits.max_processes);
    args.insert(args.end(), {options.python_path, "-I", "-B", "-c",
        "import os, resource\n"
        "resource.setrlimit(resource.RLIMIT_NPROC, (" + limit + ", " + limit + "))\n"
        "os.execv('" + options.python_path + "', ['python3', '-I', '-B', '" + kProgramPath + "'])\n"});
  } else {
    args.insert(args.end(), {options.python_path, "-I", "-B", kProgramPath});
  }
  // clang-format on
  return args;
}

std::vector<std::string> bash_command(const BashSessionOptions& options, const std::string& scratch_dir,
                                      bool nproc_inside, const std::string& command) {
  std::vector<std::string> args = hardened_bwrap_prefix(options.bwrap_path);
  // clang-format off
  args.insert(args.end(), {
      "--size", std::to_string(options.limits.tmp_bytes), "--tmpfs", "/tmp",  // this command's own, capped
      "--bind", scratch_dir, kScratchPath,  // the session's files: persist from command to command
      // Debian's alternatives (awk -> /etc/alternatives/awk -> mawk): symlinks only.
      "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
  });
  for (const ReadOnlyBind& bind : options.read_only_binds)
    args.insert(args.end(), {"--ro-bind", bind.host_path, bind.sandbox_path});
  args.insert(args.end(), {
      // bwrap's own root and /dev are tmpfs too, writable and unbounded: freeze them.
      "--remount-ro", "/dev",
      "--remount-ro", "/",
      "--chdir", kScratchPath,
      "--clearenv", "--setenv", "PATH", options.path, "--setenv", "HOME", kScratchPath,
      "--setenv", "LANG", "C.UTF-8",
      "--",
  });
  // clang-format on
  if (nproc_inside) {
    // Set inside the new user namespace, where the count covers the sandbox's processes only.
    const std::string limit = std::to_string(options.limits.max_processes);
    args.insert(args.end(), {options.bash_path, "-c",
                             "ulimit -u " + limit + " || exit 126; exec -a bash " + options.bash_path + " -c \"$1\"",
                             "bash", command});
  } else {
    args.insert(args.end(), {options.bash_path, "-c", command});
  }
  return args;
}

std::vector<std::string> python_command(const SandboxOptions& options, const std::string& program_path) {
  return {options.python_path, "-I", "-B", program_path};
}

std::vector<std::string> child_environment(const std::string& home) {
  return {"PATH=/usr/bin:/bin", "HOME=" + home, "LANG=C.UTF-8"};
}

}  // namespace qdrift::sandbox
