// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Errors. Every failure of the library is thrown as one of the classes below;
// each names the field, id or file involved in its message. A call that throws
// has changed nothing: writes are transactions that either commit or leave no
// trace.
//
//   Error                      anything the library reports
//   ├── InvalidArgument        bad input: out-of-range coordinates, invalid UTF-8, …
//   ├── NotFound               an unknown id, nickname or ext_id
//   ├── Refused                not allowed: acting for someone else, rule broken
//   │   ├── InsufficientPoints a movement would overdraw a balance
//   │   └── Conflict           clashes with what exists: a taken nickname, a second acceptance
//   ├── Corruption             a file is not what the engine wrote
//   └── IOError                the operating system failed us: disk full, read-only, …
//
// The command-line host maps these to exit codes 3, 4, 5, 5, 5, 1, 1; the HTTP
// host to 400, 404, 403, 422, 409, 500, 503; Python to exceptions of the same
// names under dongne.Error.

#ifndef DONGNE_ERROR_H_
#define DONGNE_ERROR_H_

#include <stdexcept>
#include <string>
#include <string_view>

namespace dongne {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kRefused,
  kInsufficientPoints,
  kConflict,
  kCorruption,
  kIOError,
};

// The stable snake_case name of a code, as used in JSON error bodies:
// "invalid_argument", "not_found", "refused", "insufficient_points",
// "conflict", "corruption", "io_error".
std::string_view ErrorCodeName(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

class InvalidArgument : public Error {
 public:
  explicit InvalidArgument(const std::string& message)
      : Error(ErrorCode::kInvalidArgument, message) {}
};

class NotFound : public Error {
 public:
  explicit NotFound(const std::string& message)
      : Error(ErrorCode::kNotFound, message) {}
};

class Refused : public Error {
 public:
  explicit Refused(const std::string& message)
      : Error(ErrorCode::kRefused, message) {}

 protected:
  Refused(ErrorCode code, const std::string& message) : Error(code, message) {}
};

class InsufficientPoints : public Refused {
 public:
  explicit InsufficientPoints(const std::string& message)
      : Refused(ErrorCode::kInsufficientPoints, message) {}
};

class Conflict : public Refused {
 public:
  explicit Conflict(const std::string& message)
      : Refused(ErrorCode::kConflict, message) {}
};

class Corruption : public Error {
 public:
  explicit Corruption(const std::string& message)
      : Error(ErrorCode::kCorruption, message) {}
};

class IOError : public Error {
 public:
  explicit IOError(const std::string& message)
      : Error(ErrorCode::kIOError, message) {}
};

}  // namespace dongne

#endif  // DONGNE_ERROR_H_
