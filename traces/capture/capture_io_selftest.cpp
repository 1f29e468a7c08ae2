// capture_io_selftest.cpp -- checks capture_io.h without a GPU: the FIPS 180-2 SHA-256 test
// vectors, then (given a plan folder) that every operand file parses and matches the SHA-256 that
// the Java plan writer recorded. Build: g++ -std=c++17 -O2 capture_io_selftest.cpp
#include <iostream>
#include "capture_io.h"

int main(int argc, char** argv) {
  using capture::Sha256;
  // FIPS 180-2 appendix B.1 ("abc") and the empty message.
  if (Sha256::hex("abc") != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" ||
      Sha256::hex("") != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") {
    std::cerr << "SHA-256 test vectors FAILED\n";
    return 1;
  }
  if (argc < 2) { std::cout << "sha256 ok\n"; return 0; }
  std::string dir = argv[1];
  capture::Table t = capture::read_table(dir + "/capture.csv");
  int files = 0;
  for (const auto& row : t.rows) {
    auto get = [&](const char* c) { return row[t.column(c)]; };
    int m = std::stoi(get("m")), n = std::stoi(get("n")), k = std::stoi(get("k"));
    capture::load_checked(dir, get("a_file"), get("a_sha256"), m, k, capture::digits_of(get("a_format")));
    capture::load_checked(dir, get("b_file"), get("b_sha256"), n, k, capture::digits_of(get("b_format")));
    files += 2;
    if (get("c_file") != "-") {
      capture::load_checked(dir, get("c_file"), get("c_sha256"), m, n, capture::digits_of(get("c_format")));
      ++files;
    }
    if (get("scale_a_file") != "-") {
      capture::load_checked(dir, get("scale_a_file"), get("scale_a_sha256"), m, 1, 8);
      capture::load_checked(dir, get("scale_b_file"), get("scale_b_sha256"), n, 1, 8);
      files += 2;
    }
    if (get("d_sha256") != "-") {
      capture::load_checked(dir, get("d_file"), get("d_sha256"), m, n, capture::digits_of(get("d_format")));
      ++files;
    }
  }
  std::cout << "sha256 ok; " << t.rows.size() << " cases, " << files << " files verified\n";
  return 0;
}
