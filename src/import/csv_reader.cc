// Implements csv_reader.h on libcsv: the file is read in chunks and each
// chunk is parsed line by line so that records can be given line numbers.
#include "import/csv_reader.h"

#include <csv.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "nendb/types.h"

namespace nendb::csv_import {
namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;
// libcsv grows its cell buffer by this much at a time.
constexpr size_t kCellBlockBytes = size_t{1} << 20;
// Cells longer than this stop the parser (ENOMEM); cells between the string
// limit and this are reported by the importers' size checks.
constexpr size_t kMaxCellBuffer = kMaxStringBytes + 2 * kCellBlockBytes;

void* LimitedRealloc(void* p, size_t n) {
  return n > kMaxCellBuffer ? nullptr : std::realloc(p, n);
}

// Closes a file descriptor on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

class Reader {
 public:
  Reader(const std::string& path, const CsvFormat& format, BadRows& bad,
         absl::FunctionRef<absl::Status(const CsvRecord&)> on_record)
      : path_(path), format_(format), bad_(bad), on_record_(on_record) {
    InitParser();
  }
  ~Reader() { csv_free(&parser_); }

  // Parses one chunk of the file.
  absl::Status Parse(const char* data, size_t len);
  // Parses what is left at the end of the file.
  absl::Status Finish();

 private:
  static void OnField(void* s, size_t len, void* self) {
    static_cast<Reader*>(self)->Field(static_cast<const char*>(s), len);
  }
  static void OnRecordEnd(int c, void* self) { static_cast<Reader*>(self)->RecordEnd(); }

  void InitParser() {
    csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
    csv_set_delim(&parser_, static_cast<unsigned char>(format_.delimiter));
    csv_set_quote(&parser_, static_cast<unsigned char>(format_.quote));
    csv_set_blk_size(&parser_, kCellBlockBytes);
    csv_set_realloc_func(&parser_, LimitedRealloc);
  }

  void Field(const char* s, size_t len) {
    if (!status_.ok()) return;
    if (s == nullptr) {
      nulls_.push_back(1);
    } else {
      scratch_.append(s, len);
      newlines_ += std::count(s, s + len, '\n');
      nulls_.push_back(0);
    }
    ends_.push_back(scratch_.size());
  }

  void RecordEnd() {
    if (!status_.ok()) return;
    cells_.resize(ends_.size());
    size_t begin = 0;
    for (size_t i = 0; i < ends_.size(); ++i) {
      cells_[i].text = absl::string_view(scratch_).substr(begin, ends_[i] - begin);
      cells_[i].null = nulls_[i] != 0;
      begin = ends_[i];
    }
    status_ = on_record_(CsvRecord{RecordLine(), cells_});
    ++records_;
    ClearRecord();
  }

  uint64_t RecordLine() const { return line_ - newlines_; }

  void ClearRecord() {
    scratch_.clear();
    ends_.clear();
    nulls_.clear();
    newlines_ = 0;
  }

  // Reports the record being parsed as malformed and resets the parser.
  absl::Status Malformed(absl::string_view what) {
    // The cell being parsed (in libcsv's public buffer) may span lines too.
    const auto* cell = parser_.entry_buf;
    const uint64_t line =
        RecordLine() - (cell == nullptr ? 0 : std::count(cell, cell + parser_.entry_pos, '\n'));
    absl::Status s = records_ == 0 ? FileError(path_, line, what) : bad_.Report(line, what);
    ++malformed_;
    csv_free(&parser_);
    InitParser();
    ClearRecord();
    return s;
  }

  const std::string& path_;
  const CsvFormat& format_;
  BadRows& bad_;
  absl::FunctionRef<absl::Status(const CsvRecord&)> on_record_;
  csv_parser parser_;
  absl::Status status_;  // the first error of on_record_

  std::string scratch_;       // the current record's cells, concatenated
  std::vector<size_t> ends_;  // where each cell ends in scratch_
  std::vector<uint8_t> nulls_;
  std::vector<CsvCell> cells_;
  uint64_t newlines_ = 0;  // newlines inside the current record's cells
  uint64_t line_ = 1;      // the line being parsed
  uint64_t records_ = 0;
  uint64_t malformed_ = 0;
  bool skip_line_ = false;  // after a malformed record: skip to the next line
  bool started_ = false;
};

absl::Status Reader::Parse(const char* data, size_t len) {
  const char* p = data;
  const char* const end = data + len;
  if (!started_) {
    started_ = true;
    if (len >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  }
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* seg_end = nl != nullptr ? nl + 1 : end;
    if (skip_line_) {
      if (nl != nullptr) {
        skip_line_ = false;
        ++line_;
      }
      p = seg_end;
      continue;
    }
    const size_t n = seg_end - p;
    const size_t used = csv_parse(&parser_, p, n, OnField, OnRecordEnd, this);
    if (!status_.ok()) return status_;
    if (used < n) {
      const int err = csv_error(&parser_);
      if (err == CSV_EPARSE) {
        if (absl::Status s = Malformed(
                absl::StrCat("malformed quoting (a quote inside a cell must be doubled, and "
                             "a quoted cell "
                             "must be followed by a delimiter or the line end)"));
            !s.ok()) {
          return s;
        }
      } else {
        if (absl::Status s =
                Malformed(absl::StrCat("a cell is longer than the limit of ", kMaxStringBytes,
                                       " bytes (is a quote not closed?)"));
            !s.ok()) {
          return s;
        }
      }
      skip_line_ = nl == nullptr;
    }
    if (nl != nullptr && !skip_line_) ++line_;
    p = seg_end;
  }
  return absl::OkStatus();
}

absl::Status Reader::Finish() {
  if (csv_fini(&parser_, OnField, OnRecordEnd, this) != 0) {
    return Malformed("a quoted cell is not closed before the end of the file");
  }
  return status_;
}

}  // namespace

absl::Status BadRows::Report(uint64_t line, absl::string_view what) {
  if (!skip_) return FileError(path_, line, what);
  if (reasons_.size() < kMaxReasons) reasons_.push_back(absl::StrCat(path_, ":", line, ": ", what));
  ++count_;
  return absl::OkStatus();
}

absl::Status FileError(absl::string_view path, uint64_t line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", what));
}

absl::Status FileError(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

absl::Status Annotate(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  absl::Status out(status.code(), absl::StrCat(prefix, ": ", status.message()));
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

absl::Status ReadCsv(const std::string& path, const CsvFormat& format, const ProgressFn& progress,
                     BadRows& bad, absl::FunctionRef<absl::Status(const CsvRecord&)> on_record) {
  if (format.delimiter == format.quote || format.delimiter == '\n' || format.delimiter == '\r') {
    return absl::InvalidArgumentError(
        absl::StrCat("the delimiter must be a character other than the quote "
                     "and the line end; got '",
                     std::string(1, format.delimiter), "'"));
  }
  Fd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (fd.fd < 0) return IOError(absl::StrCat("cannot open ", path), errno);
  struct stat st;
  if (::fstat(fd.fd, &st) != 0) return IOError(absl::StrCat("cannot stat ", path), errno);
  if (S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is a directory, not a CSV file"));
  }
  const uint64_t total = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  Reader reader(path, format, bad, on_record);
  std::unique_ptr<char[]> buf(new char[kChunkBytes]);
  uint64_t done = 0;
  for (;;) {
    // Fill the whole chunk so the byte order mark is seen at once.
    size_t len = 0;
    while (len < kChunkBytes) {
      const ssize_t r = ::read(fd.fd, buf.get() + len, kChunkBytes - len);
      if (r < 0) {
        if (errno == EINTR) continue;
        return IOError(absl::StrCat("cannot read ", path), errno);
      }
      if (r == 0) break;
      len += static_cast<size_t>(r);
    }
    if (len == 0) break;
    if (absl::Status s = reader.Parse(buf.get(), len); !s.ok()) return s;
    done += len;
    if (progress && !progress(done, std::max(total, done))) {
      return absl::CancelledError(absl::StrCat("the import of ", path, " was cancelled"));
    }
  }
  return reader.Finish();
}

}  // namespace nendb::csv_import
