// Copyright (c) libdongne authors. Licensed under the MIT license.

#ifndef DONGNE_BINDINGS_PYTHON_ENGINE_BINDING_H_
#define DONGNE_BINDINGS_PYTHON_ENGINE_BINDING_H_

#include <pybind11/pybind11.h>

namespace dongne::python {

// Binds dongne.Engine into `m`.
void BindEngine(pybind11::module_& m);

}  // namespace dongne::python

#endif  // DONGNE_BINDINGS_PYTHON_ENGINE_BINDING_H_
