"""The built-in plugins; ``participatie.plugins.BUILTIN`` lists them."""
