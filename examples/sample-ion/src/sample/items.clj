(ns sample.items
  "The sample's data: a few items, and the query the lambdas and the web
  handler share.")

(def items
  [{:item/id 1 :item/name "kettle" :item/price 25}
   {:item/id 2 :item/name "teapot" :item/price 18}
   {:item/id 3 :item/name "mug" :item/price 6}])

(defn list-items
  "Items at most `max-price` (all when nil), cheapest first."
  [max-price]
  (->> items
       (filter #(or (nil? max-price) (<= (:item/price %) max-price)))
       (sort-by :item/price)))
