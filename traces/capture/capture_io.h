// capture_io.h -- host-side I/O of the golden GEMM folder (see traces/capture/README.md):
// the comma-split capture.csv table, hex matrix files, and SHA-256 of file bytes.
// Plain C++17, no CUDA: capture_io_selftest.cpp checks it on any machine.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace capture {

// ---------------------------------------------------------------- SHA-256 (FIPS 180-4)
class Sha256 {
 public:
  static std::string hex(const std::string& data) {
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::string msg = data;
    uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
    msg.push_back(static_cast<char>(0x80));
    while (msg.size() % 64 != 56) msg.push_back(0);
    for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
    auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
    for (size_t off = 0; off < msg.size(); off += 64) {
      uint32_t w[64];
      for (int i = 0; i < 16; ++i) {
        const unsigned char* p = reinterpret_cast<const unsigned char*>(&msg[off + 4 * i]);
        w[i] = (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
      }
      for (int i = 16; i < 64; ++i) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
      }
      uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (int i = 0; i < 64; ++i) {
        uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    char out[65];
    for (int i = 0; i < 8; ++i) std::snprintf(out + 8 * i, 9, "%08x", h[i]);
    return std::string(out, 64);
  }
};

// ---------------------------------------------------------------- files
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw std::runtime_error(path + ": cannot write");
    out << text;
    if (!out) throw std::runtime_error(path + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error(path + ": rename failed");
}

// ---------------------------------------------------------------- the case table
// capture.csv: '#' comment lines, a header, rows split on commas (fields never hold commas).
struct Table {
  std::vector<std::string> comments;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<long> line_of_row;

  int column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    throw std::runtime_error("capture.csv has no column '" + name + "'");
  }
};

inline std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : line) {
    if (ch == ',') { out.push_back(cur); cur.clear(); }
    else if (ch != '\r') cur.push_back(ch);
  }
  out.push_back(cur);
  return out;
}

inline Table read_table(const std::string& path) {
  Table t;
  std::istringstream in(read_file(path));
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    if (line[0] == '#') { t.comments.push_back(line); continue; }
    auto fields = split_commas(line);
    if (t.header.empty()) { t.header = fields; continue; }
    if (fields.size() != t.header.size())
      throw std::runtime_error(path + ":" + std::to_string(n) + ": expected " +
                               std::to_string(t.header.size()) + " fields, found " +
                               std::to_string(fields.size()));
    t.rows.push_back(fields);
    t.line_of_row.push_back(n);
  }
  if (t.header.empty()) throw std::runtime_error(path + ": no header");
  return t;
}

inline std::string join_commas(const std::vector<std::string>& f) {
  std::string s;
  for (size_t i = 0; i < f.size(); ++i) { if (i) s += ','; s += f[i]; }
  return s;
}

// Free text into a table field: no commas, quotes or line breaks, never empty.
inline std::string clean(std::string s) {
  for (char& ch : s) if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') ch = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s.empty() ? "-" : s;
}

// ---------------------------------------------------------------- hex matrices
// rows lines of cols codes, each exactly `digits` lower-case hex digits, single spaces, final \n.
inline std::vector<uint32_t> parse_hex(const std::string& text, int rows, int cols, int digits,
                                       const std::string& source) {
  std::vector<uint32_t> out(static_cast<size_t>(rows) * cols);
  size_t pos = 0;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      uint32_t v = 0;
      for (int d = 0; d < digits; ++d, ++pos) {
        char ch = pos < text.size() ? text[pos] : '\0';
        int h = (ch >= '0' && ch <= '9') ? ch - '0' : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
        if (h < 0)
          throw std::runtime_error(source + ":" + std::to_string(r + 1) + " [col " +
                                   std::to_string(c) + "]: not a hex code");
        v = (v << 4) | static_cast<uint32_t>(h);
      }
      char sep = pos < text.size() ? text[pos] : '\0';
      if (sep != (c + 1 == cols ? '\n' : ' '))
        throw std::runtime_error(source + ":" + std::to_string(r + 1) + " [col " +
                                 std::to_string(c) + "]: bad separator");
      ++pos;
      out[static_cast<size_t>(r) * cols + c] = v;
    }
  }
  if (pos != text.size()) throw std::runtime_error(source + ": more than " + std::to_string(rows) + " lines");
  return out;
}

inline std::string render_hex(const std::vector<uint32_t>& codes, int rows, int cols, int digits) {
  std::string s;
  s.reserve(codes.size() * (digits + 1));
  char buf[16];
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      std::snprintf(buf, sizeof buf, "%0*x", digits, codes[static_cast<size_t>(r) * cols + c]);
      s += buf;
      s += (c + 1 == cols) ? '\n' : ' ';
    }
  return s;
}

// Digits per code for our format names (HexMatrix.digits in Java).
inline int digits_of(const std::string& format) {
  if (format == "e4m3" || format == "e5m2") return 2;
  if (format == "fp16" || format == "bf16") return 4;
  if (format == "fp32") return 8;
  throw std::runtime_error("unknown format '" + format + "'");
}

// Reads an operand file named in a row and checks its recorded SHA-256.
inline std::vector<uint32_t> load_checked(const std::string& dir, const std::string& file,
                                          const std::string& sha, int rows, int cols,
                                          int digits) {
  std::string text = read_file(dir + "/" + file);
  std::string got = Sha256::hex(text);
  if (got != sha)
    throw std::runtime_error(dir + "/" + file + ": corrupted: SHA-256 " + got + ", recorded " + sha);
  return parse_hex(text, rows, cols, digits, dir + "/" + file);
}

}  // namespace capture
