(module
  ;; exports taking and returning v128: a v128 takes two slots in the fuzzers' argument arrays
  (func (export "v") (param v128 i32 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 2)))
  (func (export "w") (param i64 v128 f64) (result f64 v128)
    (local.get 2) (local.get 1)))
