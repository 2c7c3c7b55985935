import { describe, expect, it } from "vitest";
import { sql } from "./helpers.js";

describe("config()", () => {
  it("collects literal keyword arguments with Jinja literals turned into JavaScript values", () => {
    const text = "{{ config(materialized='table', tags=['dim_user'], enabled=false, unique_key='id', x=none, n=3) }}";
    expect(sql(text).config).toEqual({
      materialized: "table",
      tags: ["dim_user"],
      enabled: false,
      unique_key: "id",
      x: null,
      n: 3,
    });
  });

  it("accepts True/False/None spellings and nested dicts", () => {
    expect(sql("{{ config(enabled=True, meta={'owner': 'a', 'n': [1, None]}) }}").config).toEqual({
      enabled: true,
      meta: { owner: "a", n: [1, null] },
    });
  });

  it("omits values that are not literal", () => {
    expect(sql("{{ config(materialized=var('m'), schema='s', tags=['a', var('t')]) }}").config).toEqual({ schema: "s" });
  });

  it("lets later calls override earlier keys", () => {
    expect(sql("{{ config(materialized='view', tags=['a']) }}\n{{ config(materialized='table') }}").config).toEqual({
      materialized: "table",
      tags: ["a"],
    });
  });

  it("computes values built from literals", () => {
    expect(sql("{% set dim = 'user' %}{{ config(tags=['dim_' ~ dim]) }}").config).toEqual({ tags: ["dim_user"] });
  });

  it("ignores config in comments and plain text", () => {
    expect(sql("{# {{ config(materialized='table') }} #} config(enabled=false)").config).toEqual({});
  });

  it("reads config in {% if %} branches and still returns refs next to it", () => {
    const result = sql("{% if x %}{{ config(enabled=false) }}{% endif %}{{ ref('a') }}");
    expect(result.config).toEqual({ enabled: false });
    expect(result.dependencies.map((d) => d.type)).toEqual(["ref"]);
  });
});
