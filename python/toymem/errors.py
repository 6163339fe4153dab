class RunDirectoryError(ValueError):
    """A run directory that is missing, incomplete, damaged or inconsistent with its config.

    The message names the directory, the file and, for tensors, the tensor at fault: the package
    refuses such a directory rather than return numbers computed from it.
    """
