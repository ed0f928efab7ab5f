(module
  ;; unbounded recursion through call_indirect: the depth limit traps, nothing overflows
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $f)
  (func $f (export "f") (type $t)
    (call_indirect (type $t) (i32.add (local.get 0) (i32.const 1)) (i32.const 0))))
