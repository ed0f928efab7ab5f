(module
  ;; a whole 4 GiB memory allowed, one page given; loads at the top of the address space trap
  (memory (export "m") 1 65536)
  (func (export "top") (param i32) (result i64)
    (i64.load offset=4294967295 (local.get 0)))
  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0))))
