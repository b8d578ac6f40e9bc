// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Conversions between the library's value types and Python: times as
// timezone-aware UTC datetimes, and the "record" classes (User, Question, …)
// with a readable repr and to_dict().

#ifndef DONGNE_BINDINGS_PYTHON_CONVERT_H_
#define DONGNE_BINDINGS_PYTHON_CONVERT_H_

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "dongne/types.h"

namespace dongne::python {

namespace py = pybind11;

// A UTC datetime.
py::object ToDatetime(Timestamp t);
// A datetime (naive ones are taken as UTC) or Unix seconds (int or float).
Timestamp ToTimestamp(const py::handle& value);

// None for "" (an absent ext_id, neighbourhood or cursor, as the hosts'
// JSON gives null), else the str.
py::object NoneIfEmpty(const std::string& text);

// A file system path from a str or an os.PathLike (pathlib.Path): TypeError
// for anything else, InvalidArgument for a NUL, which would cut it short.
std::string PathArg(const py::handle& value, const char* name);

// Adds __repr__ ("Name(field=value, …)" over `repr_fields`) and to_dict()
// (every name in `fields`, nested records converted too) to a bound class,
// and a __new__ that refuses: records are only made by the Engine.
void AddRecordMethods(py::object cls, const char* name, std::vector<std::string> fields,
                      std::vector<std::string> repr_fields);

}  // namespace dongne::python

#endif  // DONGNE_BINDINGS_PYTHON_CONVERT_H_
