// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "convert.h"

#include <cmath>

#include "dongne/error.h"

namespace dongne::python {

py::object ToDatetime(Timestamp t) {
  static const py::object datetime = py::module_::import("datetime").attr("datetime");
  static const py::object utc = py::module_::import("datetime").attr("timezone").attr("utc");
  return datetime.attr("fromtimestamp")(t.time_since_epoch().count(), utc);
}

Timestamp ToTimestamp(const py::handle& value) {
  static const py::object datetime = py::module_::import("datetime").attr("datetime");
  static const py::object utc = py::module_::import("datetime").attr("timezone").attr("utc");
  double seconds = 0;
  if (py::isinstance(value, datetime)) {
    py::object aware = value.attr("tzinfo").is_none()
                           ? value.attr("replace")(py::arg("tzinfo") = utc)
                           : py::reinterpret_borrow<py::object>(value);
    seconds = aware.attr("timestamp")().cast<double>();
  } else if ((py::isinstance<py::int_>(value) && !py::isinstance<py::bool_>(value)) ||
             py::isinstance<py::float_>(value)) {
    try {
      seconds = value.cast<double>();
    } catch (const py::cast_error&) {  // an int beyond a double's range
      throw InvalidArgument("a time is out of range");
    }
  } else {
    throw InvalidArgument("a time must be a datetime or Unix seconds");
  }
  if (!std::isfinite(seconds) || std::abs(seconds) > 1e13) {
    throw InvalidArgument("a time is out of range");
  }
  return Timestamp(std::chrono::seconds(static_cast<std::int64_t>(std::floor(seconds))));
}

py::object NoneIfEmpty(const std::string& text) {
  return text.empty() ? py::none() : py::object(py::str(text));
}

std::string PathArg(const py::handle& value, const char* name) {
  const py::object path = py::module_::import("os").attr("fspath")(value);
  if (!py::isinstance<py::str>(path)) {
    throw py::type_error(std::string(name) + " must be a str or os.PathLike path, not bytes");
  }
  std::string text = path.cast<std::string>();
  if (text.find('\0') != std::string::npos) {
    throw InvalidArgument(std::string(name) + " holds a NUL character");
  }
  return text;
}

void AddRecordMethods(py::object cls, const char* name, std::vector<std::string> fields,
                      std::vector<std::string> repr_fields) {
  // pybind11's own __new__ makes an instance that holds no C++ value, and
  // reading its fields then crashes. Records only come from the Engine.
  cls.attr("__new__") = py::staticmethod(py::cpp_function(
      [name](py::args, py::kwargs) -> py::object {
        throw py::type_error(std::string("dongne.") + name +
                             " objects are made by the Engine, not created directly");
      }));
  cls.attr("__repr__") = py::cpp_function(
      [name, repr_fields](py::object self) {
        std::string text = std::string(name) + "(";
        for (std::size_t i = 0; i < repr_fields.size(); ++i) {
          if (i) text += ", ";
          text += repr_fields[i] + "=" +
                  py::repr(self.attr(repr_fields[i].c_str())).cast<std::string>();
        }
        return text + ")";
      },
      py::is_method(cls));
  cls.attr("to_dict") = py::cpp_function(
      [fields](py::object self) {
        // Records inside lists or fields become dicts too.
        const auto plain = [](py::object value, const auto& recurse) -> py::object {
          if (py::hasattr(value, "to_dict")) return value.attr("to_dict")();
          if (py::isinstance<py::list>(value)) {
            py::list out;
            for (py::handle item : value) out.append(recurse(py::reinterpret_borrow<py::object>(item), recurse));
            return out;
          }
          return value;
        };
        py::dict out;
        for (const std::string& field : fields) {
          out[field.c_str()] = plain(self.attr(field.c_str()), plain);
        }
        return out;
      },
      py::is_method(cls), "The fields as a dict (datetimes stay datetimes).");
}

}  // namespace dongne::python
