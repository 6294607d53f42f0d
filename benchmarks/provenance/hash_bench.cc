// Hashing throughput of provenance manifests beside `sha256sum` on the same files, page cache
// warm, in the same run. Also measures the two ceilings: a plain read of the files (no
// hashing) and SHA-256 of the same number of bytes already in memory (no I/O).
//
//   provenance_hash_bench [--files N] [--mib M] [--runs R] [--threads T] [--dir DIR]
//
// Creates N files of M MiB under DIR (default: a new directory under the system temp dir,
// removed at the end), reads them once, then times each method R times and prints medians.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "provenance/manifest.h"

namespace fs = std::filesystem;
using hallmark::provenance::compute_manifest;
using hallmark::provenance::Manifest;
using hallmark::provenance::ManifestOptions;

namespace {

struct Args {
  int files = 4;
  uint64_t mib = 256;
  int runs = 5;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::string dir;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--files") a.files = std::stoi(v);
    else if (k == "--mib") a.mib = std::stoull(v);
    else if (k == "--runs") a.runs = std::stoi(v);
    else if (k == "--threads") a.threads = static_cast<unsigned>(std::stoul(v));
    else if (k == "--dir") a.dir = v;
    else {
      std::cerr << "unknown option " << k << "\n";
      std::exit(2);
    }
  }
  return a;
}

void write_random(const fs::path& path, uint64_t size, uint64_t seed) {
  std::ofstream out(path, std::ios::binary);
  std::vector<uint64_t> block(1 << 17);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (uint64_t done = 0; done < size; done += block.size() * 8) {
    for (auto& w : block) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      w = x;
    }
    out.write(reinterpret_cast<const char*>(block.data()),
              static_cast<std::streamsize>(std::min<uint64_t>(block.size() * 8, size - done)));
  }
}

// Reads every file without hashing: the page-cache ceiling for a single reader.
void read_only(const std::vector<fs::path>& files) {
  std::vector<char> buf(1 << 20);
  for (const auto& f : files) {
    int fd = ::open(f.c_str(), O_RDONLY);
    while (::read(fd, buf.data(), buf.size()) > 0) {
    }
    ::close(fd);
  }
}

std::string run_command(const std::string& cmd) {
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (::pclose(p) != 0) {
    std::cerr << "command failed: " << cmd << "\n";
    std::exit(1);
  }
  return out;
}

double seconds(const std::function<void()>& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  Args a = parse(argc, argv);
  bool own_dir = a.dir.empty();
  fs::path dir = own_dir ? fs::temp_directory_path() /
                               ("hallmark-hash-bench-" + std::to_string(::getpid()))
                         : fs::path(a.dir);
  fs::create_directories(dir);
  std::vector<fs::path> files;
  std::string names;
  for (int i = 0; i < a.files; ++i) {
    files.push_back(dir / ("model-" + std::to_string(i + 1) + ".safetensors"));
    if (!fs::exists(files.back()) || fs::file_size(files.back()) != a.mib << 20)
      write_random(files.back(), a.mib << 20, static_cast<uint64_t>(i + 1));
    names += " '" + files.back().filename().string() + "'";
  }
  const double mb = static_cast<double>(a.files) * static_cast<double>(a.mib << 20) / 1e6;
  const std::string cd = "cd '" + dir.string() + "' && ";
  const std::string sum_seq = cd + "sha256sum" + names;
  const std::string sum_par = cd + "printf '%s\\n'" + names + " | xargs -P " +
                              std::to_string(a.threads) + " -n 1 sha256sum";

  // Warm the page cache, and check that both tools agree on every digest.
  read_only(files);
  ManifestOptions one;
  one.threads = 1;
  ManifestOptions many;
  many.threads = a.threads;
  Manifest m = compute_manifest(dir, one);
  std::istringstream sums(run_command(sum_seq));
  std::string line;
  int agreed = 0;
  while (std::getline(sums, line))
    agreed += m.find(line.substr(66)) && m.find(line.substr(66))->sha256 == line.substr(0, 64);
  if (agreed != a.files) {
    std::cerr << "digests disagree with sha256sum\n";
    return 1;
  }

  std::string in_memory(a.mib << 20, '\0');
  for (size_t i = 0; i < in_memory.size(); ++i) in_memory[i] = static_cast<char>(i * 131 + 7);

  std::map<std::string, std::vector<double>> t;
  for (int r = 0; r < a.runs; ++r) {
    t["SHA-256 in memory (no I/O), 1 thread"].push_back(seconds([&] {
      for (int i = 0; i < a.files; ++i) hallmark::provenance::sha256_hex(in_memory);
    }));
    t["read only (no hash), 1 thread"].push_back(seconds([&] { read_only(files); }));
    t["hallmark manifest, 1 thread"].push_back(seconds([&] { compute_manifest(dir, one); }));
    t["sha256sum, 1 process"].push_back(seconds([&] { run_command(sum_seq); }));
    t["hallmark manifest, " + std::to_string(a.threads) + " threads"].push_back(
        seconds([&] { compute_manifest(dir, many); }));
    t["sha256sum, xargs -P " + std::to_string(a.threads)].push_back(
        seconds([&] { run_command(sum_par); }));
  }

  std::printf("%d files x %llu MiB (%.0f MB), page cache warm, median of %d runs\n", a.files,
              static_cast<unsigned long long>(a.mib), mb, a.runs);
  std::printf("| method | median s | MB/s |\n| --- | ---: | ---: |\n");
  for (const auto& [name, v] : t)
    std::printf("| %s | %.3f | %.0f |\n", name.c_str(), median(v), mb / median(v));
  const std::string par = std::to_string(a.threads);
  std::printf("ratio hallmark / sha256sum: 1 thread %.2fx, %s threads %.2fx\n",
              median(t["sha256sum, 1 process"]) / median(t["hallmark manifest, 1 thread"]),
              par.c_str(),
              median(t["sha256sum, xargs -P " + par]) /
                  median(t["hallmark manifest, " + par + " threads"]));
  if (own_dir) fs::remove_all(dir);
  return 0;
}
