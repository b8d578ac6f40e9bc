"""`pip install . --no-build-isolation`: builds the module with CMake (offline,
Debian's pybind11) and installs the `dongne` package."""
import os
import pathlib
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(self.build_temp).resolve() / "cmake"
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=Release", f"-DPython_EXECUTABLE={sys.executable}",
                        "-DDONGNE_BUILD_TESTS=OFF", "-DDONGNE_BUILD_BENCH=OFF",
                        "-DDONGNE_BUILD_EXAMPLES=OFF"], check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "_dongne",
                        "--parallel", str(os.cpu_count() or 1)], check=True)
        built = next((build / "python" / "dongne").glob("_dongne*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file(str(built), str(target))


setup(
    packages=["dongne"],
    package_dir={"dongne": "bindings/python/dongne"},
    package_data={"dongne": ["__init__.pyi", "py.typed"]},
    ext_modules=[Extension("dongne._dongne", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
